<?php
declare(strict_types=1);

/** Thrown to answer with an error page (HTML) or error body (JSON api/ routes). */
final class HttpError extends RuntimeException
{
    public function __construct(public readonly int $status, string $message, public readonly array $headers = [])
    {
        parent::__construct($message);
    }
}

function h(null|string|int|float $value): string
{
    return htmlspecialchars((string) $value, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

function money(int $cents, string $currency = 'EUR'): string
{
    $symbol = ['EUR' => '€', 'USD' => '$', 'GBP' => '£'][$currency] ?? $currency . ' ';
    return $symbol . number_format($cents / 100, 2, '.', ',');
}

/** A root-relative link to a route: /index.php?route=product/view&id=7. */
function url(string $route, array $params = []): string
{
    // Route names are plain [a-z/]: written as they are, like the shop's links always looked.
    $query = $params === [] ? '' : '&' . http_build_query($params, '', '&', PHP_QUERY_RFC3986);
    return '/index.php?route=' . $route . $query;
}

/**
 * 302 to a route. With LEGACY_BASE_URL set the Location is absolute on that origin, as shops
 * configured with their own base URL do; otherwise it is root-relative.
 */
function redirect(string $route, array $params = []): never
{
    $base = getenv('LEGACY_BASE_URL');
    header('Location: ' . ($base ? rtrim($base, '/') : '') . url($route, $params), true, 302);
    exit;
}

function json_response(mixed $data, int $status = 200): never
{
    http_response_code($status);
    header('Content-Type: application/json; charset=UTF-8');
    echo json_encode($data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
    exit;
}

/** Renders templates/<name>.php inside the layout. */
function render(string $template, array $vars = [], int $status = 200): never
{
    http_response_code($status);
    header('Content-Type: text/html; charset=UTF-8');
    $content = render_partial($template, $vars);
    echo render_partial('layout', ['content' => $content, 'title' => $vars['title'] ?? 'Ficus Shop']);
    exit;
}

function render_partial(string $template, array $vars): string
{
    ob_start();
    (static function (string $__file, array $__vars): void {
        extract($__vars, EXTR_SKIP);
        require $__file;
    })(__DIR__ . '/../templates/' . $template . '.php', $vars);
    return (string) ob_get_clean();
}

/** The largest PostgreSQL `integer`: ids and quantities past it are not ours. */
const DB_INT_MAX = 2147483647;
/** The last page anyone may ask for, so that an offset stays far inside bigint. */
const MAX_PAGE = 100000;

/**
 * A whole number from the query or a form, or $default when absent or empty; anything else that
 * is not a whole number within [min, max] is null.
 */
function int_param(array $source, string $name, ?int $default, int $min = 1, int $max = DB_INT_MAX): ?int
{
    $raw = $source[$name] ?? null;
    if ($raw === null || $raw === '') {
        return $default;
    }
    if (!is_string($raw) || !preg_match('/^\d{1,10}$/', $raw)) {
        return null;
    }
    $value = (int) $raw;
    return $value >= $min && $value <= $max ? $value : null;
}

/** Trimmed text of at most $maxLength characters; anything that is not valid UTF-8 text is ''. */
function string_param(array $source, string $name, int $maxLength = 200): string
{
    $raw = $source[$name] ?? '';
    // No mbstring in a stock php-cli: PCRE in UTF-8 mode counts characters (and rejects bad bytes).
    return is_string($raw) && preg_match('/^.{0,' . $maxLength . '}/su', trim($raw), $match) === 1 ? $match[0] : '';
}

// --- session, CSRF, flash -----------------------------------------------------------------------

function start_session(): void
{
    ini_set('session.use_strict_mode', '1');
    ini_set('session.use_only_cookies', '1');
    session_name('PHPSESSID');
    session_set_cookie_params(['lifetime' => 0, 'path' => '/', 'httponly' => true, 'samesite' => 'Lax']);
    session_start();
}

function csrf_token(): string
{
    if (!isset($_SESSION['csrf']) || !is_string($_SESSION['csrf'])) {
        $_SESSION['csrf'] = bin2hex(random_bytes(32));
    }
    return $_SESSION['csrf'];
}

function csrf_field(): string
{
    return '<input type="hidden" name="csrf_token" value="' . h(csrf_token()) . '">';
}

/** A state-changing route: POST only, with this session's form token. */
function require_post(): void
{
    if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
        throw new HttpError(405, 'This page only accepts form submissions.', ['Allow: POST']);
    }
    $sent = $_POST['csrf_token'] ?? '';
    if (!is_string($sent) || !isset($_SESSION['csrf']) || !hash_equals($_SESSION['csrf'], $sent)) {
        throw new HttpError(403, 'Your form has expired. Please go back, reload the page and try again.');
    }
}

function flash(string $type, string $message): void
{
    $_SESSION['flash'][] = ['type' => $type, 'message' => $message];
}

/** @return list<array{type: string, message: string}> */
function take_flashes(): array
{
    $messages = $_SESSION['flash'] ?? [];
    unset($_SESSION['flash']);
    return is_array($messages) ? $messages : [];
}

// --- the logged-in customer ---------------------------------------------------------------------

function current_customer(): ?array
{
    static $loaded = false, $customer = null;
    if (!$loaded) {
        $loaded = true;
        $id = $_SESSION['customer_id'] ?? null;
        if (is_int($id)) {
            $customer = db_query('SELECT id, email, first_name, last_name FROM legacy.customers WHERE id = ?', [$id])->fetch() ?: null;
        }
    }
    return $customer;
}

function require_login(string $backTo): array
{
    $customer = current_customer();
    if ($customer === null) {
        flash('info', 'Please log in first.');
        redirect('account/login', ['redirect' => $backTo]);
    }
    return $customer;
}
