-- The benchmark's job in SQL, for DuckDB: the consent gate and the five audiences of bench/audiences
-- on a data set written by `generate`, hashed per normalization profile and written as the file
-- destinations write them. It is the yardstick bench/run.sh measures the exporter against, so it
-- does the same work: every row of the five files read and typed, every customer decided.
--
-- It covers what generated data holds, not the whole contract: no rejected rows (`generate` writes
-- none), no brand setting. bench/DuckDbReference.java checks
-- its files equal the exporter's, byte for byte, before a timing counts.
--
-- ${DATA}, ${OUT} and ${AS_OF} are replaced by bench/DuckDbReference.java.

-- Unicode white space, as the contract's \s with Unicode character classes, and the byte order mark
CREATE MACRO strip_ws(s) AS regexp_replace(s, '^[\s\p{Z}\x{85}\x{FEFF}]+|[\s\p{Z}\x{85}\x{FEFF}]+$', '', 'g');

CREATE TEMP TABLE customers AS
SELECT customer_id, lower(strip_ws(email)) AS email
FROM read_csv('${DATA}/customers.csv', header = true, all_varchar = true);

CREATE TEMP TABLE consents AS
SELECT customer_id, lower(status) AS status, recorded_at::TIMESTAMPTZ AS recorded_at
FROM read_csv('${DATA}/consents.csv', header = true, all_varchar = true)
WHERE purpose = 'marketing';

CREATE TEMP TABLE suppressions AS
SELECT nullif(customer_id, '') AS customer_id, nullif(lower(strip_ws(email)), '') AS email
FROM read_csv('${DATA}/suppressions.csv', header = true, all_varchar = true);

CREATE TEMP TABLE orders AS
SELECT customer_id, ordered_at::TIMESTAMPTZ AS ts, lower(trim(category)) AS category,
       lower(trim(author)) AS author, coalesce(amount::DECIMAL(18, 6), 0) AS amount
FROM read_csv('${DATA}/orders.csv', header = true, all_varchar = true);

CREATE TEMP TABLE events AS
SELECT customer_id, occurred_at::TIMESTAMPTZ AS ts, event, lower(trim(category)) AS category
FROM read_csv('${DATA}/events.csv', header = true, all_varchar = true);

-- the google normalization profile: for Gmail, no dots and no +tag in the local part
CREATE MACRO gmail(e) AS
  CASE WHEN split_part(e, '@', 2) IN ('gmail.com', 'googlemail.com')
       THEN replace(split_part(split_part(e, '@', 1), '+', 1), '.', '') || '@' || split_part(e, '@', 2)
       ELSE e END;

-- the mailbox, which suppressions are also compared in: googlemail.com is gmail.com
CREATE MACRO mailbox(e) AS regexp_replace(gmail(e), '@googlemail\.com$', '@gmail.com');

CREATE TEMP TABLE suppressed_emails AS
SELECT email FROM suppressions WHERE email IS NOT NULL
UNION SELECT mailbox(email) FROM suppressions WHERE email IS NOT NULL
UNION SELECT c.email FROM customers c JOIN suppressions s USING (customer_id) WHERE c.email IS NOT NULL
UNION SELECT mailbox(c.email) FROM customers c JOIN suppressions s USING (customer_id) WHERE c.email IS NOT NULL;

-- the latest record at or before as_of decides; on a tie the most restrictive
CREATE TEMP TABLE latest_consent AS
SELECT customer_id, arg_max(status, (recorded_at, CASE status WHEN 'withdrawn' THEN 3 WHEN 'denied' THEN 2 ELSE 1 END)) AS status,
       max(recorded_at) AS recorded_at
FROM consents WHERE recorded_at <= TIMESTAMPTZ '${AS_OF}'
GROUP BY customer_id;

CREATE TEMP TABLE exportable AS
SELECT c.customer_id, c.email
FROM customers c JOIN latest_consent l USING (customer_id)
WHERE regexp_matches(c.email, '^[^\s\p{Z}\x{85}\x{FEFF}@]+@[^\s\p{Z}\x{85}\x{FEFF}@]+\.[^\s\p{Z}\x{85}\x{FEFF}@]+$')
  AND c.customer_id NOT IN (SELECT customer_id FROM suppressions WHERE customer_id IS NOT NULL)
  AND c.email NOT IN (SELECT email FROM suppressed_emails)
  AND mailbox(c.email) NOT IN (SELECT email FROM suppressed_emails)
  AND l.status = 'granted'
  AND l.recorded_at > TIMESTAMPTZ '${AS_OF}' - INTERVAL 395 DAY;

-- purchased: the matching lines in the window number at least N and their amounts add up to at
-- least the minimum (0 by default: refunds alone are no purchase)
CREATE TEMP TABLE order_facts AS
SELECT customer_id,
       count(*) FILTER (WHERE category = 'crime-fiction' AND ts > TIMESTAMPTZ '${AS_OF}' - INTERVAL 90 DAY) AS crime_n,
       sum(amount) FILTER (WHERE category = 'crime-fiction' AND ts > TIMESTAMPTZ '${AS_OF}' - INTERVAL 90 DAY) AS crime_sum,
       count(*) FILTER (WHERE author = 'camilla läckberg') AS lackberg_n,
       sum(amount) FILTER (WHERE author = 'camilla läckberg') AS lackberg_sum,
       count(*) FILTER (WHERE ts > TIMESTAMPTZ '${AS_OF}' - INTERVAL 365 DAY) AS year_n,
       sum(amount) FILTER (WHERE ts > TIMESTAMPTZ '${AS_OF}' - INTERVAL 365 DAY) AS year_sum,
       count(*) FILTER (WHERE ts > TIMESTAMPTZ '${AS_OF}' - INTERVAL 90 DAY) AS q_n,
       sum(amount) FILTER (WHERE ts > TIMESTAMPTZ '${AS_OF}' - INTERVAL 90 DAY) AS q_sum,
       count(*) FILTER (WHERE ts > TIMESTAMPTZ '${AS_OF}' - INTERVAL 14 DAY) AS fortnight_n,
       sum(amount) FILTER (WHERE ts > TIMESTAMPTZ '${AS_OF}' - INTERVAL 14 DAY) AS fortnight_sum
FROM orders WHERE ts <= TIMESTAMPTZ '${AS_OF}' AND customer_id IN (SELECT customer_id FROM exportable)
GROUP BY customer_id;

CREATE TEMP TABLE event_facts AS
SELECT customer_id,
       count(*) FILTER (WHERE event = 'product_view' AND category = 'fantasy' AND ts > TIMESTAMPTZ '${AS_OF}' - INTERVAL 30 DAY) AS fantasy_views,
       count(*) FILTER (WHERE event = 'add_to_cart' AND ts > TIMESTAMPTZ '${AS_OF}' - INTERVAL 14 DAY) AS carts
FROM events WHERE ts <= TIMESTAMPTZ '${AS_OF}' AND customer_id IN (SELECT customer_id FROM exportable)
GROUP BY customer_id;

CREATE TEMP TABLE members AS
SELECT e.email, a.audience
FROM exportable e
LEFT JOIN order_facts o USING (customer_id)
LEFT JOIN event_facts v USING (customer_id),
LATERAL (
  SELECT 'crime-buyers-90d' AS audience WHERE o.crime_n >= 1 AND o.crime_sum >= 0
  UNION ALL SELECT 'fantasy-browsers-30d' WHERE v.fantasy_views >= 3
  UNION ALL SELECT 'lackberg-fans' WHERE o.lackberg_n >= 2 AND o.lackberg_sum >= 0
  UNION ALL SELECT 'lapsed-high-value' WHERE o.year_n >= 1 AND o.year_sum >= 2000 AND NOT coalesce(o.q_n >= 1 AND o.q_sum >= 0, false)
  UNION ALL SELECT 'cart-abandoners-14d' WHERE v.carts >= 1 AND NOT coalesce(o.fortnight_n >= 1 AND o.fortnight_sum >= 0, false)
) a;

CREATE TEMP TABLE hashes AS
SELECT DISTINCT audience, 'basic' AS destination, sha256(email) AS email_sha256 FROM members
UNION SELECT audience, 'meta', sha256(email) FROM members
UNION SELECT audience, 'google', sha256(gmail(email)) FROM members WHERE split_part(gmail(email), '@', 1) <> '';
