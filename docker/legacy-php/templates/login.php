<?php /** @var string $email @var ?string $error @var string $redirect */ ?>
<h1>Log in</h1>
<?php if ($error !== null): ?><p class="error" role="alert"><?= h($error) ?></p><?php endif ?>
<form action="<?= h(url('account/login')) ?>" method="post" id="login-form">
  <?= csrf_field() ?>
  <input type="hidden" name="redirect" value="<?= h($redirect) ?>">
  <p><label>Email <input type="email" name="email" value="<?= h($email) ?>" required></label></p>
  <p><label>Password <input type="password" name="password" required></label></p>
  <p><button type="submit">Log in</button></p>
</form>
<p>New here? <a href="<?= h(url('account/register')) ?>">Create an account</a>.</p>
