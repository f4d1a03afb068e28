// Payment processing: hand-written accuracy example (markers are the truth).

// expect: dto
export interface ChargeRequest {
  customerId: string;
  amountCents: number;
  currency: string;
}

// expect: dto
export class ChargeResult {
  constructor(public readonly id: string, public readonly approved: boolean) {}
}

export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeResult>;
}

class StripeGateway implements PaymentGateway {
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    return new ChargeResult(`st_${request.customerId}`, true);
  }
}

class AdyenGateway implements PaymentGateway {
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    return new ChargeResult(`ad_${request.customerId}`, request.amountCents < 500000);
  }
}

// expect: decorator, dependency-injection
class RetryingGateway implements PaymentGateway {
  constructor(private readonly inner: PaymentGateway, private readonly attempts: number) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    let last: unknown;
    for (let i = 0; i < this.attempts; i++) {
      try {
        return await this.inner.charge(request);
      } catch (error) {
        last = error;
      }
    }
    throw last;
  }
}

class LegacyBankClient {
  submitDebit(account: string, cents: number): boolean {
    return cents > 0 && account.length > 0;
  }
}

// expect: adapter
class LegacyBankGateway implements PaymentGateway {
  private readonly client = new LegacyBankClient();

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const ok = this.client.submitDebit(request.customerId, request.amountCents);
    return new ChargeResult(`lb_${request.customerId}`, ok);
  }
}

// expect: strategy, dependency-injection
export class CheckoutService {
  constructor(private gateway: PaymentGateway) {}

  switchGateway(gateway: PaymentGateway): void {
    this.gateway = gateway;
  }

  async pay(customerId: string, amountCents: number): Promise<boolean> {
    const result = await this.gateway.charge({ customerId, amountCents, currency: "EUR" });
    return result.approved;
  }
}

// expect: chain-of-responsibility
abstract class FraudCheck {
  private next?: FraudCheck;

  linkWith(next: FraudCheck): FraudCheck {
    this.next = next;
    return next;
  }

  check(request: ChargeRequest): boolean {
    if (this.next) {
      return this.next.check(request);
    }
    return true;
  }
}

class AmountLimit extends FraudCheck {
  check(request: ChargeRequest): boolean {
    if (request.amountCents > 1_000_000) return false;
    return super.check(request);
  }
}

class BlockedCustomers extends FraudCheck {
  constructor(private readonly blocked: Set<string>) {
    super();
  }

  check(request: ChargeRequest): boolean {
    if (this.blocked.has(request.customerId)) return false;
    return super.check(request);
  }
}

// expect: repository
export class ChargeRepository {
  private readonly charges = new Map<string, ChargeResult>();

  save(charge: ChargeResult): void {
    this.charges.set(charge.id, charge);
  }

  findById(id: string): ChargeResult | undefined {
    return this.charges.get(id);
  }

  delete(id: string): void {
    this.charges.delete(id);
  }
}

// expect: factory-method
export function gatewayFor(country: string): PaymentGateway {
  switch (country) {
    case "NL":
      return new AdyenGateway();
    case "XX":
      return new LegacyBankGateway();
    default:
      return new StripeGateway();
  }
}

export interface Button {
  render(): string;
}

export interface Checkbox {
  render(): string;
}

// expect: abstract-factory
export interface WidgetFactory {
  createButton(label: string): Button;
  createCheckbox(label: string): Checkbox;
}

export class LightFactory implements WidgetFactory {
  createButton(label: string): Button {
    return { render: () => `<button class="light">${label}</button>` };
  }

  createCheckbox(label: string): Checkbox {
    return { render: () => `<input type="checkbox" class="light"> ${label}` };
  }
}

export class DarkFactory implements WidgetFactory {
  createButton(label: string): Button {
    return { render: () => `<button class="dark">${label}</button>` };
  }

  createCheckbox(label: string): Checkbox {
    return { render: () => `<input type="checkbox" class="dark"> ${label}` };
  }
}

// expect: builder
export class ChargeRequestBuilder {
  private customerId = "";
  private amountCents = 0;
  private currency = "EUR";

  forCustomer(id: string): this {
    this.customerId = id;
    return this;
  }

  amount(cents: number): this {
    this.amountCents = cents;
    return this;
  }

  in(currency: string): this {
    this.currency = currency;
    return this;
  }

  build(): ChargeRequestImpl {
    return new ChargeRequestImpl(this.customerId, this.amountCents, this.currency);
  }
}

// expect: dto
export class ChargeRequestImpl implements ChargeRequest {
  constructor(public customerId: string, public amountCents: number, public currency: string) {}
}

export const checks = new AmountLimit();
checks.linkWith(new BlockedCustomers(new Set(["c-13"])));
