CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    actor_id   bigint REFERENCES users (id),
    action     text NOT NULL,
    payload    jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_payload_gin ON audit_log USING gin (payload);
CREATE INDEX users_lower_email_idx ON users (lower(email));
