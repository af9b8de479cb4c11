<?php
declare(strict_types=1);

// Creates the `legacy` schema and seeds it (schema.sql, then seed.sql), in one transaction under
// an advisory lock so that two shops starting at once on one database do not race. Idempotent.
//   LEGACY_DATABASE_URL=postgres://... php docker/legacy-php/bin/setup.php [--no-seed]

require __DIR__ . '/../src/db.php';

const SETUP_LOCK_KEY = 7_305_011; // any constant shared by every copy of this script

$root = dirname(__DIR__);
$files = [$root . '/schema.sql'];
if (!in_array('--no-seed', $argv, true)) {
    $files[] = $root . '/seed.sql';
}

try {
    $pdo = db();
    $pdo->beginTransaction();
    $pdo->query('SELECT pg_advisory_xact_lock(' . SETUP_LOCK_KEY . ')');
    foreach ($files as $file) {
        $sql = file_get_contents($file);
        if ($sql === false) {
            throw new RuntimeException("cannot read $file");
        }
        // Several statements without parameters: PDO sends them as one simple query.
        $pdo->exec($sql);
    }
    $pdo->commit();
    $counts = $pdo->query(
        'SELECT (SELECT count(*) FROM legacy.categories) AS categories, (SELECT count(*) FROM legacy.products) AS products,'
        . ' (SELECT count(*) FROM legacy.customers) AS customers, (SELECT count(*) FROM legacy.orders) AS orders'
    )->fetch();
    $config = legacy_database_config();
    fwrite(STDOUT, sprintf(
        "legacy schema ready on %s:%d/%s: %d categories, %d products, %d customers, %d orders\n",
        $config['host'], $config['port'], $config['dbname'],
        $counts['categories'], $counts['products'], $counts['customers'], $counts['orders']
    ));
} catch (Throwable $error) {
    fwrite(STDERR, 'legacy setup failed: ' . $error->getMessage() . "\n");
    exit(1);
}
