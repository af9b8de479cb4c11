<?php
declare(strict_types=1);

// Front controller: every page is /index.php?route=<controller>/<action>.
require __DIR__ . '/../src/app.php';

run_shop();
