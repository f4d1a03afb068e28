// A shopping cart in TypeScript.
import { exec } from "child_process";

export class PriceCalculator {
  private static instance: PriceCalculator;

  static getInstance(): PriceCalculator {
    if (!PriceCalculator.instance) {
      PriceCalculator.instance = new PriceCalculator();
    }
    return PriceCalculator.instance;
  }

  total(prices: number[]): number {
    return prices.reduce((sum, price) => sum + price, 0);
  }
}

export function archive(cartId: string): void {
  exec(`zip -r carts/${cartId}.zip carts/${cartId}`);
}

export function evaluateDiscount(rule: string): number {
  return eval(rule);
}
