<?php /** @var array $form @var array<string, string> $errors */ ?>
<h1>Create an account</h1>
<?php if ($errors !== []): ?>
  <ul class="error" role="alert"><?php foreach ($errors as $field => $message): ?><li data-field="<?= h($field) ?>"><?= h($message) ?></li><?php endforeach ?></ul>
<?php endif ?>
<form action="<?= h(url('account/register')) ?>" method="post" id="register-form">
  <?= csrf_field() ?>
  <p><label>First name <input name="first_name" value="<?= h($form['first_name']) ?>" required></label></p>
  <p><label>Last name <input name="last_name" value="<?= h($form['last_name']) ?>" required></label></p>
  <p><label>Email <input type="email" name="email" value="<?= h($form['email']) ?>" required></label></p>
  <p><label>Password <input type="password" name="password" minlength="8" required></label></p>
  <p><button type="submit">Create account</button></p>
</form>
