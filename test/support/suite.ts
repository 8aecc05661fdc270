import { describe, before, after, it } from 'node:test';
import { databaseKinds, MYSQL_SKIP_MESSAGE } from './databases';
import { startTestApp, type TestApp } from './app';

/**
 * Declares an integration suite once per database. Each run gets its own app on a
 * fresh database; suites are named "<kind>: <title>" so CI can count the MySQL ones.
 */
export function forEachDatabase(
  title: string,
  body: (ctx: () => TestApp) => void,
  env: Record<string, string> = {},
  options: Parameters<typeof startTestApp>[2] = {},
): void {
  for (const kind of databaseKinds()) {
    describe(`${kind}: ${title}`, () => {
      let testApp: TestApp | undefined;
      before(async () => {
        testApp = await startTestApp(kind, env, options);
      });
      after(async () => {
        await testApp?.stop();
      });
      body(() => {
        if (!testApp) throw new Error('the test app did not start');
        return testApp;
      });
    });
  }
  if (!process.env.TEST_MYSQL_URL) {
    describe(`mysql: ${title}`, () => {
      it('runs on MySQL', { skip: MYSQL_SKIP_MESSAGE }, () => undefined);
    });
  }
}
