import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The waiting list is ordered by a ticket drawn from a sequence per list (lock-free, never rolled back)
 * instead of by `waitlisted_at` under a per-session exclusive lock, so a flash crowd no longer queues on
 * one lock. A list is a session's, or for a series the activity's (its residents wait for every session
 * together, one ticket each). Sequences are owned by the ticket column: dropping it drops them.
 */
export class WaitlistTickets1796016500000 implements MigrationInterface {
    name = 'WaitlistTickets1796016500000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "registration" ADD "waitlist_ticket" integer`);
        // Those waiting now get tickets 1, 2, … per list in the order they had, one per resident in a series
        // (a series resident who dropped one session leaves a gap in that session: harmless, see register()).
        await queryRunner.query(
            `WITH waiting AS (
               SELECT r.id, r.patron_id, r.waitlisted_at, CASE WHEN a.series THEN a.id ELSE s.id END AS list
                 FROM registration r JOIN activity_session s ON s.id = r.session_id JOIN activity a ON a.id = s.activity_id
                WHERE r.status = 'waitlisted'),
             resident AS (
               SELECT list, patron_id, row_number() OVER (PARTITION BY list ORDER BY min(waitlisted_at) NULLS LAST, min(id::text)) AS ticket
                 FROM waiting GROUP BY list, patron_id)
             UPDATE registration r SET waitlist_ticket = x.ticket
               FROM waiting w JOIN resident x USING (list, patron_id) WHERE r.id = w.id`,
        );
        await queryRunner.query(
            `DO $$
             DECLARE l record;
             BEGIN
               FOR l IN SELECT a.id AS list FROM activity a WHERE a.series
                        UNION ALL SELECT s.id FROM activity_session s JOIN activity a ON a.id = s.activity_id WHERE NOT a.series
               LOOP
                 EXECUTE format('CREATE SEQUENCE %I AS integer OWNED BY registration.waitlist_ticket', 'waitlist_' || replace(l.list::text, '-', ''));
               END LOOP;
               FOR l IN SELECT CASE WHEN a.series THEN a.id ELSE s.id END AS list, max(r.waitlist_ticket) AS last
                          FROM registration r JOIN activity_session s ON s.id = r.session_id JOIN activity a ON a.id = s.activity_id
                         WHERE r.waitlist_ticket IS NOT NULL GROUP BY 1
               LOOP
                 PERFORM setval(('waitlist_' || replace(l.list::text, '-', ''))::regclass, l.last);
               END LOOP;
             END $$`,
        );
        await queryRunner.query(`DROP INDEX "public"."registration_waitlist_idx"`);
        await queryRunner.query(`CREATE INDEX "registration_waitlist_idx" ON "registration" ("session_id", "waitlist_ticket") WHERE status = 'waitlisted'`);
        // The tickets that have left a list (seated, cancelled …): a newcomer's position is its ticket less these.
        await queryRunner.query(`CREATE INDEX "registration_waitlist_left_idx" ON "registration" ("session_id", "waitlist_ticket") WHERE waitlist_ticket IS NOT NULL AND status <> 'waitlisted'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."registration_waitlist_left_idx"`);
        await queryRunner.query(`DROP INDEX "public"."registration_waitlist_idx"`);
        await queryRunner.query(`CREATE INDEX "registration_waitlist_idx" ON "registration" ("session_id", "waitlisted_at") WHERE status = 'waitlisted'`);
        // Drops the waiting-list sequences too (owned by the column).
        await queryRunner.query(`ALTER TABLE "registration" DROP COLUMN "waitlist_ticket"`);
    }

}
