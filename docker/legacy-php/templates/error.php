<?php /** @var string $title @var string $message */ ?>
<h1><?= h($title) ?></h1>
<p><?= h($message) ?></p>
<p><a href="<?= h(url('common/home')) ?>">Back to the shop</a></p>
