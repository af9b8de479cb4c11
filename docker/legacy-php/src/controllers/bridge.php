<?php
declare(strict_types=1);

/**
 * For the strangler proxy only: who is logged in on the PHPSESSID cookie sent along. Answers with
 * the shared LEGACY_BRIDGE_KEY in X-Legacy-Bridge-Key, 403 otherwise (and always 403 while the
 * key is unset). Reads the session without writing it or issuing a new cookie.
 */
function bridge_whoami(): void
{
    $key = getenv('LEGACY_BRIDGE_KEY');
    $sent = $_SERVER['HTTP_X_LEGACY_BRIDGE_KEY'] ?? '';
    if (!is_string($key) || strlen($key) < 16 || !is_string($sent) || !hash_equals($key, $sent)) {
        json_response(['error' => 'forbidden', 'message' => 'This endpoint is for the proxy only.'], 403);
    }
    $sessionId = $_COOKIE['PHPSESSID'] ?? '';
    if (is_string($sessionId) && preg_match('/^[A-Za-z0-9,-]{22,256}$/', $sessionId) === 1) {
        ini_set('session.use_strict_mode', '1');
        ini_set('session.use_only_cookies', '1');
        ini_set('session.use_cookies', '0');
        session_name('PHPSESSID');
        session_id($sessionId);
        session_start(['read_and_close' => true]);
    }
    $customer = current_customer();
    if ($customer === null) {
        json_response(['error' => 'not_logged_in', 'message' => 'No customer is logged in on this session.'], 404);
    }
    json_response(['id' => $customer['id'], 'email' => $customer['email']]);
}
