<?php
declare(strict_types=1);

const PASSWORD_MIN_LENGTH = 8;

/** Where to go after logging in: a known page route of ours, never an outside URL. */
function after_login_route(): string
{
    $target = string_param($_REQUEST, 'redirect', 100);
    return isset(ROUTES[$target]) && !str_starts_with($target, 'api/') && $target !== 'account/logout' ? $target : 'account/orders';
}

function log_in(int $customerId): void
{
    // A new session id at login, so an id planted before it is worth nothing (session fixation).
    session_regenerate_id(true);
    $_SESSION['customer_id'] = $customerId;
    db_query('UPDATE legacy.customers SET last_login_at = now() WHERE id = ?', [$customerId]);
}

function account_login(): void
{
    $email = '';
    $error = null;
    if ($_SERVER['REQUEST_METHOD'] === 'POST') {
        require_post();
        $email = strtolower(string_param($_POST, 'email', 254));
        $password = is_string($_POST['password'] ?? null) ? $_POST['password'] : '';
        $customer = db_query('SELECT id, password_hash FROM legacy.customers WHERE email = ?', [$email])->fetch();
        if ($customer !== false && password_verify($password, $customer['password_hash'])) {
            if (password_needs_rehash($customer['password_hash'], PASSWORD_DEFAULT)) {
                db_query('UPDATE legacy.customers SET password_hash = ? WHERE id = ?', [password_hash($password, PASSWORD_DEFAULT), $customer['id']]);
            }
            log_in($customer['id']);
            flash('success', 'Welcome back!');
            redirect(after_login_route());
        }
        $error = 'Invalid email or password.';
    }
    render('login', ['title' => 'Log in – Ficus Shop', 'email' => $email, 'error' => $error, 'redirect' => after_login_route()]);
}

function account_register(): void
{
    $form = ['first_name' => '', 'last_name' => '', 'email' => ''];
    $errors = [];
    if ($_SERVER['REQUEST_METHOD'] === 'POST') {
        require_post();
        $form = [
            'first_name' => string_param($_POST, 'first_name', 100),
            'last_name' => string_param($_POST, 'last_name', 100),
            'email' => strtolower(string_param($_POST, 'email', 254)),
        ];
        $password = is_string($_POST['password'] ?? null) ? $_POST['password'] : '';
        if ($form['first_name'] === '') {
            $errors['first_name'] = 'Please enter your first name.';
        }
        if ($form['last_name'] === '') {
            $errors['last_name'] = 'Please enter your last name.';
        }
        if (filter_var($form['email'], FILTER_VALIDATE_EMAIL) === false) {
            $errors['email'] = 'Please enter a valid email address.';
        }
        if (strlen($password) < PASSWORD_MIN_LENGTH || strlen($password) > 72) {
            $errors['password'] = 'Your password must be 8 to 72 characters long.';
        }
        if ($errors === []) {
            // ON CONFLICT: two sign-ups with one address at once must not both pass.
            $id = db_query(
                'INSERT INTO legacy.customers (email, first_name, last_name, password_hash) VALUES (?, ?, ?, ?)
                 ON CONFLICT (email) DO NOTHING RETURNING id',
                [$form['email'], $form['first_name'], $form['last_name'], password_hash($password, PASSWORD_DEFAULT)]
            )->fetchColumn();
            if ($id === false) {
                $errors['email'] = 'An account with this email address already exists. Please log in.';
            } else {
                log_in($id);
                flash('success', 'Your account has been created.');
                redirect('account/orders');
            }
        }
    }
    render('register', ['title' => 'Create an account – Ficus Shop', 'form' => $form, 'errors' => $errors]);
}

function account_logout(): void
{
    require_post();
    $_SESSION = [];
    session_regenerate_id(true);
    flash('success', 'You have been logged out.');
    redirect('common/home');
}

function account_orders(): void
{
    $customer = require_login('account/orders');
    $orders = db_query(
        'SELECT o.order_number, o.status, o.total_cents, o.currency, o.created_at, sum(i.quantity) AS item_count
           FROM legacy.orders o JOIN legacy.order_items i ON i.order_id = o.id
          WHERE o.customer_id = ? GROUP BY o.id ORDER BY o.created_at DESC, o.id DESC',
        [$customer['id']]
    )->fetchAll();
    render('orders', ['title' => 'Your orders – Ficus Shop', 'customer' => $customer, 'orders' => $orders]);
}
