import type { MigrationInterface, QueryRunner } from 'typeorm';

/** request_body_recipe: how an attempt's body is rebuilt from its event when not stored (body-recipe.ts). */
export class AttemptBodyRecipe1765400000000 implements MigrationInterface {
  name = 'AttemptBodyRecipe1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery_attempts ADD COLUMN request_body_recipe VARCHAR(100) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery_attempts DROP COLUMN request_body_recipe`);
  }
}
