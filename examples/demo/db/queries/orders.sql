-- Reporting queries used by the admin dashboard
SELECT id, total_cents, created_at
FROM orders
WHERE status = 'pending'
ORDER BY created_at DESC
LIMIT 50;

SELECT o.id, u.email
FROM orders o
JOIN users u ON u.id = o.user_id
WHERE lower(u.email) = lower($1);

SELECT p.title, sum(oi.quantity) AS sold
FROM order_items oi
JOIN products p ON p.id = oi.product_id
GROUP BY p.title;

SELECT * FROM users WHERE name LIKE '%smith%';
