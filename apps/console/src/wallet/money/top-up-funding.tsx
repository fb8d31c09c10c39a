import { useCallback, useEffect, useState } from 'react';
import type { Schemas } from '@wallet-sandbox/client';
import { answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, formatYen, useLanguage } from '../../i18n/index.js';
import { useWallet } from '../wallet-session.js';
import { type Card, type Topup, keyed, useOnWalletChange } from './money-api.js';
import { AmountField, TopupForm, useTopup } from './top-up-parts.js';

type TestNumber = Schemas['TestFundingSourceDto'];
type BankAccount = Schemas['BankAccountDto'];

const BEHAVIORS: Record<string, MessageKey> = {
  succeed: 'money.behavior.succeed',
  decline: 'money.behavior.decline',
  insufficient_funds: 'money.behavior.insufficient_funds',
  three_d_secure: 'money.behavior.three_d_secure',
  processing_error: 'money.behavior.processing_error',
  expired_card: 'money.behavior.expired_card',
};

const CARD_LIMITS = { max: 30_000, unit: 1_000 };

/** The sandbox's test numbers (cards or bank accounts), read from the API with the app's credential. */
function useTestNumbers(path: '/v1/test-cards' | '/v1/test-bank-accounts'): TestNumber[] {
  const wallet = useWallet();
  const [numbers, setNumbers] = useState<TestNumber[]>([]);
  useEffect(() => {
    answer(wallet.api().GET(path)).then(
      (list) => setNumbers(list.data),
      () => undefined,
    );
  }, [wallet, path]);
  return numbers;
}

/** Which test number to use: each says what a top-up from it does. */
function TestNumberPicker({
  numbers,
  chosen,
  onChoose,
  legend,
}: {
  numbers: TestNumber[];
  chosen: string;
  onChoose: (n: string) => void;
  legend: string;
}) {
  const { t } = useLanguage();
  const wallet = useWallet();
  return (
    <fieldset className="test-numbers">
      <legend>{legend}</legend>
      {numbers.map((n) => (
        <label key={n.number} className="choice">
          <input
            type="radio"
            name={`${legend}-${wallet.slot}`}
            value={n.number}
            checked={chosen === n.number}
            onChange={() => onChoose(n.number)}
          />
          <span>
            <code>{n.number}</code>
            <span className="choice-detail">
              {BEHAVIORS[n.behavior] ? t(BEHAVIORS[n.behavior]) : n.description}
              {n.failureCode && (
                <>
                  {' '}
                  (<code>{n.failureCode}</code>)
                </>
              )}
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** Card top-ups: the customer's cards, adding one from the test cards, then the top-up. */
export function CardChannel({ onStarted }: { onStarted: (topup: Topup) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [cards, setCards] = useState<Card[] | null>(null);
  const [cardId, setCardId] = useState('');
  const [amount, setAmount] = useState(10_000);
  const topup = useTopup(onStarted);

  const readCards = useCallback(async () => {
    const list = (await answer(wallet.api().GET('/v1/cards'))) as unknown as { data: Card[] };
    setCards(list.data);
    setCardId((current) => (list.data.some((card) => card.id === current) ? current : (list.data[0]?.id ?? '')));
  }, [wallet]);
  useOnWalletChange(wallet.slot, readCards);

  return (
    <section className="channel" aria-labelledby={`card-${wallet.slot}`}>
      <h3 id={`card-${wallet.slot}`}>{t('money.channel.card')}</h3>
      {cards && cards.length === 0 && <p className="hint">{t('money.card.none')}</p>}
      {cards && cards.length > 0 && (
        <TopupForm
          onSubmit={() => void topup.run({ amount, channel: 'card', cardId })}
          busy={topup.busy}
          problem={topup.problem}
          label={t('money.topup.submit', { amount: amount > 0 ? formatYen(amount) : '' })}
        >
          <fieldset>
            <legend>{t('money.card.pick')}</legend>
            {cards.map((card) => (
              <label key={card.id} className="choice">
                <input type="radio" name={`card-${wallet.slot}`} checked={cardId === card.id} onChange={() => setCardId(card.id)} />
                <span>
                  {card.brand.toUpperCase()} •••• {card.last4}{' '}
                  <span className="choice-detail">
                    {String(card.expMonth).padStart(2, '0')}/{card.expYear}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          <AmountField value={amount} onChange={setAmount} limits={CARD_LIMITS} />
        </TopupForm>
      )}
      <AddCard
        onAdded={(card) => {
          setCardId(card.id);
          void readCards();
        }}
      />
    </section>
  );
}

function AddCard({ onAdded }: { onAdded: (card: Card) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [open, setOpen] = useState(false);
  const testCards = useTestNumbers('/v1/test-cards');
  const [number, setNumber] = useState('4242424242424242');
  const [expMonth, setExpMonth] = useState(12);
  const [expYear, setExpYear] = useState(new Date().getFullYear() + 4);
  const [cvc, setCvc] = useState('123');
  const add = useAction(async () => {
    const card = await wallet.withStepUp(() =>
      answer(wallet.api().POST('/v1/cards', { body: { number: number.replace(/\s/g, ''), expMonth, expYear, cvc }, ...keyed() })),
    );
    setOpen(false);
    onAdded(card as unknown as Card);
  });
  return (
    <details className="add-source" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t('money.card.add')}</summary>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void add.run();
        }}
      >
        <TestNumberPicker numbers={testCards} chosen={number} onChoose={setNumber} legend={t('money.card.testCards')} />
        <label>
          {t('money.card.number')}
          <input inputMode="numeric" autoComplete="off" required value={number} onChange={(event) => setNumber(event.target.value)} />
        </label>
        <div className="row">
          <label>
            {t('money.card.expMonth')}
            <input type="number" min={1} max={12} required value={expMonth} onChange={(event) => setExpMonth(Number(event.target.value))} />
          </label>
          <label>
            {t('money.card.expYear')}
            <input
              type="number"
              min={2000}
              max={2100}
              required
              value={expYear}
              onChange={(event) => setExpYear(Number(event.target.value))}
            />
          </label>
          <label>
            {t('money.card.cvc')}
            <input
              inputMode="numeric"
              autoComplete="off"
              required
              pattern="[0-9]{3,4}"
              value={cvc}
              onChange={(event) => setCvc(event.target.value)}
            />
          </label>
        </div>
        <div className="actions">
          <button type="submit" disabled={add.busy}>
            {t('money.card.addSubmit')}
          </button>
        </div>
        <ProblemView problem={add.problem} />
      </form>
    </details>
  );
}

/** Bank-debit top-ups: a registered bank account (a test number says how it behaves), then the top-up. */
export function BankChannel({ onStarted }: { onStarted: (topup: Topup) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [accounts, setAccounts] = useState<BankAccount[] | null>(null);
  const [accountId, setAccountId] = useState('');
  const [amount, setAmount] = useState(10_000);
  const topup = useTopup(onStarted);

  const readAccounts = useCallback(async () => {
    const list = await answer(wallet.api().GET('/v1/bank-accounts'));
    setAccounts(list.data);
    setAccountId((current) => (list.data.some((a) => a.id === current) ? current : (list.data[0]?.id ?? '')));
  }, [wallet]);
  useOnWalletChange(wallet.slot, readAccounts);

  return (
    <section className="channel" aria-labelledby={`bank-${wallet.slot}`}>
      <h3 id={`bank-${wallet.slot}`}>{t('money.channel.bank_debit')}</h3>
      {accounts && accounts.length === 0 && <p className="hint">{t('money.bank.none')}</p>}
      {accounts && accounts.length > 0 && (
        <TopupForm
          onSubmit={() => void topup.run({ amount, channel: 'bank_debit', bankAccountId: accountId })}
          busy={topup.busy}
          problem={topup.problem}
          label={t('money.topup.submit', { amount: amount > 0 ? formatYen(amount) : '' })}
        >
          <fieldset>
            <legend>{t('money.bank.pick')}</legend>
            {accounts.map((account) => (
              <label key={account.id} className="choice">
                <input
                  type="radio"
                  name={`bank-${wallet.slot}`}
                  checked={accountId === account.id}
                  onChange={() => setAccountId(account.id)}
                />
                <span>
                  {account.bankCode}-{account.branchCode} •••{account.last4} <span className="choice-detail">{account.holder}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <AmountField value={amount} onChange={setAmount} limits={CARD_LIMITS} />
        </TopupForm>
      )}
      <AddBankAccount
        onAdded={(account) => {
          setAccountId(account.id);
          void readAccounts();
        }}
      />
    </section>
  );
}

export interface BankFields {
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  holder: string;
}

/** Zengin bank code, branch, account number and holder: a bank account as Japanese banks name one. */
export function BankAccountFields({ value, onChange }: { value: BankFields; onChange: (next: BankFields) => void }) {
  const { t } = useLanguage();
  const field = (name: keyof BankFields, label: string, pattern?: string, numeric = true) => (
    <label>
      {label}
      <input
        inputMode={numeric ? 'numeric' : 'text'}
        autoComplete="off"
        required
        pattern={pattern}
        value={value[name]}
        onChange={(event) => onChange({ ...value, [name]: event.target.value })}
      />
    </label>
  );
  return (
    <>
      <div className="row">
        {field('bankCode', t('money.bank.bankCode'), '[0-9]{4}')}
        {field('branchCode', t('money.bank.branchCode'), '[0-9]{3}')}
      </div>
      {field('accountNumber', t('money.bank.accountNumber'), '[0-9]{7}')}
      {field('holder', t('money.bank.holder'), undefined, false)}
    </>
  );
}

export const SAMPLE_BANK: BankFields = { bankCode: '0005', branchCode: '251', accountNumber: '1234567', holder: 'ヤマダ ハナコ' };

function AddBankAccount({ onAdded }: { onAdded: (account: BankAccount) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [open, setOpen] = useState(false);
  const testAccounts = useTestNumbers('/v1/test-bank-accounts');
  const [fields, setFields] = useState<BankFields>(SAMPLE_BANK);
  const add = useAction(async () => {
    const account = await wallet.withStepUp(() => answer(wallet.api().POST('/v1/bank-accounts', { body: fields, ...keyed() })));
    setOpen(false);
    onAdded(account as unknown as BankAccount);
  });
  return (
    <details className="add-source" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t('money.bank.add')}</summary>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void add.run();
        }}
      >
        <TestNumberPicker
          numbers={testAccounts}
          chosen={fields.accountNumber}
          onChoose={(accountNumber) => setFields({ ...fields, accountNumber })}
          legend={t('money.bank.testAccounts')}
        />
        <p className="hint">{t('money.bank.otherNumbers')}</p>
        <BankAccountFields value={fields} onChange={setFields} />
        <div className="actions">
          <button type="submit" disabled={add.busy}>
            {t('money.bank.addSubmit')}
          </button>
        </div>
        <ProblemView problem={add.problem} />
      </form>
    </details>
  );
}
