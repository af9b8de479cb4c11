<?php
declare(strict_types=1);

/**
 * Where the shop's database is: LEGACY_DATABASE_URL (postgres://user:pass@host:port/db), else the
 * libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, else postgres@127.0.0.1:5432/ficus.
 *
 * @return array{host: string, port: int, dbname: string, user: string, password: ?string, sslmode: ?string}
 */
function legacy_database_config(): array
{
    $url = getenv('LEGACY_DATABASE_URL');
    if ($url !== false && $url !== '') {
        $parts = parse_url($url);
        if ($parts === false || !in_array($parts['scheme'] ?? '', ['postgres', 'postgresql'], true)) {
            throw new RuntimeException('LEGACY_DATABASE_URL must be a postgres:// URL');
        }
        parse_str($parts['query'] ?? '', $query);
        $dbname = rawurldecode(ltrim($parts['path'] ?? '', '/'));
        return [
            'host' => $parts['host'] ?? '127.0.0.1',
            'port' => (int) ($parts['port'] ?? 5432),
            'dbname' => $dbname !== '' ? $dbname : 'ficus',
            'user' => isset($parts['user']) ? rawurldecode($parts['user']) : 'postgres',
            'password' => isset($parts['pass']) ? rawurldecode($parts['pass']) : null,
            'sslmode' => is_string($query['sslmode'] ?? null) ? $query['sslmode'] : null,
        ];
    }
    $env = static function (string $name, string $fallback): string {
        $value = getenv($name);
        return $value === false || $value === '' ? $fallback : $value;
    };
    $password = getenv('PGPASSWORD');
    return [
        'host' => $env('PGHOST', '127.0.0.1'),
        'port' => (int) $env('PGPORT', '5432'),
        'dbname' => $env('PGDATABASE', 'ficus'),
        'user' => $env('PGUSER', 'postgres'),
        'password' => $password === false ? null : $password,
        'sslmode' => getenv('PGSSLMODE') ?: null,
    ];
}

/** One connection per request, opened on first use. */
function db(): PDO
{
    static $pdo = null;
    if ($pdo === null) {
        $config = legacy_database_config();
        $dsn = sprintf('pgsql:host=%s;port=%d;dbname=%s;connect_timeout=5', $config['host'], $config['port'], $config['dbname']);
        if ($config['sslmode'] !== null) {
            $dsn .= ';sslmode=' . $config['sslmode'];
        }
        $pdo = new PDO($dsn, $config['user'], $config['password'], [
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
            PDO::ATTR_DEFAULT_FETCH_MODE => PDO::FETCH_ASSOC,
            PDO::ATTR_EMULATE_PREPARES => false,
        ]);
        $pdo->exec("SET TIME ZONE 'UTC'");
    }
    return $pdo;
}

/** Runs a prepared statement and returns it. */
function db_query(string $sql, array $params = []): PDOStatement
{
    $statement = db()->prepare($sql);
    $statement->execute($params);
    return $statement;
}
