-- The outbox as the cluster's shared work queue ([cluster] enabled; see dev.engram.store.WorkQueue).
-- A live row is claimed by the instance holding its chat's lease (claimed_by, NULL = nobody yet);
-- claim_seq orders one owner's claims (the order its engine admits them in: seq order within a chat).
ALTER TABLE task_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE task_outbox ADD COLUMN claim_seq BIGINT;
CREATE INDEX idx_outbox_unclaimed ON task_outbox (seq) WHERE claimed_by IS NULL AND dead = 0;
CREATE INDEX idx_outbox_claims ON task_outbox (claimed_by, claim_seq) WHERE dead = 0;
CREATE INDEX idx_outbox_chat ON task_outbox (chat_id) WHERE dead = 0;

-- Leases: 'chat:<chat id>' (one owner per chat at a time) and 'maintenance' (the periodic tasks and the
-- chatless rows). expires_at is epoch milliseconds; token grows (from work_lease_token) on every change
-- of owner: a fencing token.
CREATE TABLE work_leases (
    name       TEXT   NOT NULL PRIMARY KEY,
    owner      TEXT   NOT NULL,
    expires_at BIGINT NOT NULL,
    token      BIGINT NOT NULL
);
CREATE INDEX idx_work_leases_owner ON work_leases (owner);
CREATE SEQUENCE work_lease_token;
-- One value per claim transaction; claim_seq = value * 2^24 + position in the claim.
CREATE SEQUENCE task_claim_batch;
