import type { Locator, Page } from 'playwright-core';

/** The dashboard's table row of a delivery. */
export function deliveryRow(page: Page, id: string): Locator {
  return page.locator(`#deliveries tbody tr[data-delivery-id="${id}"]`);
}

/** Waits until the dashboard's row of a delivery shows `status` (arriving live or listed). */
export async function waitDeliveryStatus(page: Page, id: string, status: string): Promise<void> {
  await page.waitForSelector(`#deliveries tbody tr[data-delivery-id="${id}"][data-status="${status}"]`, { timeout: 10_000 });
}
