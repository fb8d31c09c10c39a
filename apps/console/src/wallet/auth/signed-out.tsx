import { type FormEvent, type ReactNode, useId, useState } from 'react';
import type { Schemas } from '@wallet-sandbox/client';
import { answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { type Tokens, useWallet } from '../wallet-session.js';
import { CodeInput } from './code-input.js';
import { PasswordField } from './password-field.js';

type LoginAnswer = Schemas['LoginResponseDto'];
type Challenge = Required<Pick<LoginAnswer, 'challengeId'>> & Pick<LoginAnswer, 'method' | 'sentTo'>;
interface Credentials {
  email: string;
  password: string;
}

type Step = 'signin' | 'register' | 'forgot' | 'code';

/** Signed out: sign in on this phone (with the SMS or authenticator code on a new one), register, ask for a reset link. */
export function SignedOut() {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [step, setStep] = useState<Step>('signin');
  const [credentials, setCredentials] = useState<Credentials>({ email: '', password: '' });
  const [challenge, setChallenge] = useState<Challenge | null>(null);

  /** Sign-in on this device: tokens straight away on a trusted one, otherwise the code step. */
  const signIn = useAction(async (who: Credentials) => {
    const reply = await answer(wallet.publicApi.POST('/v1/auth/login', { body: { ...who, deviceId: wallet.deviceId } }));
    if (reply.mfaRequired && reply.challengeId) {
      setChallenge({ challengeId: reply.challengeId, method: reply.method, sentTo: reply.sentTo });
      setStep('code');
    } else {
      wallet.signedIn(reply as Tokens);
    }
  });

  return (
    <div className="wallet-auth">
      {wallet.signedOutReason && (
        <p className="notice" role="status" data-reason={wallet.signedOutReason}>
          {t(`auth.signedOut.${wallet.signedOutReason}`)}
        </p>
      )}
      {step === 'signin' && <SignInForm credentials={credentials} onChange={setCredentials} signIn={signIn} go={setStep} />}
      {step === 'register' && (
        <RegisterForm
          credentials={credentials}
          onChange={setCredentials}
          registered={(who) => void signIn.run(who)}
          signIn={signIn}
          go={setStep}
        />
      )}
      {step === 'forgot' && <ForgotForm email={credentials.email} go={setStep} />}
      {step === 'code' && challenge && (
        <CodeStep challenge={challenge} resend={() => void signIn.run(credentials)} resending={signIn} go={setStep} />
      )}
    </div>
  );
}

type SignInAction = ReturnType<typeof useAction<[Credentials], void>>;

function submitted(run: () => void) {
  return (event: FormEvent) => {
    event.preventDefault();
    run();
  };
}

interface AuthFormProps {
  heading: string;
  explain: string;
  onSubmit: () => void;
  children: ReactNode;
  /** The ways to the other steps, below the form. */
  links: ReactNode;
}

/** One step of signing in: its heading, what it does, its fields, then the ways to the other steps. */
function AuthForm({ heading, explain, onSubmit, children, links }: AuthFormProps) {
  return (
    <>
      <form className="auth-form" onSubmit={submitted(onSubmit)}>
        <h2>{heading}</h2>
        <p className="hint">{explain}</p>
        {children}
      </form>
      <div className="auth-links">{links}</div>
    </>
  );
}

function BackToSignIn({ go }: { go: (step: Step) => void }) {
  const { t } = useLanguage();
  return (
    <button type="button" className="secondary" onClick={() => go('signin')}>
      {t('auth.toSignIn')}
    </button>
  );
}

function EmailInput({ value, onChange }: { value: string; onChange: (email: string) => void }) {
  const { t } = useLanguage();
  return (
    <label>
      {t('auth.email')}
      <input type="email" autoComplete="email" required maxLength={254} value={value} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}

interface CredentialFormProps {
  credentials: Credentials;
  onChange: (credentials: Credentials) => void;
  signIn: SignInAction;
  go: (step: Step) => void;
}

function SignInForm({ credentials, onChange, signIn, go }: CredentialFormProps) {
  const { t } = useLanguage();
  const wallet = useWallet();
  return (
    <AuthForm
      heading={t('auth.signIn.heading')}
      explain={t('auth.signIn.explain')}
      onSubmit={() => void signIn.run(credentials)}
      links={
        <>
          <button type="button" className="secondary" onClick={() => go('register')}>
            {t('auth.toRegister')}
          </button>
          <button type="button" className="secondary" onClick={() => go('forgot')}>
            {t('auth.toForgot')}
          </button>
        </>
      }
    >
      <EmailInput value={credentials.email} onChange={(email) => onChange({ ...credentials, email })} />
      <PasswordField
        label={t('auth.password')}
        value={credentials.password}
        onChange={(password) => onChange({ ...credentials, password })}
      />
      <button type="submit" disabled={signIn.busy}>
        {t('auth.signIn.submit')}
      </button>
      <p className="hint">{t('auth.signIn.device', { device: wallet.deviceId.slice(-8) })}</p>
      <ProblemView problem={signIn.problem} />
    </AuthForm>
  );
}

function RegisterForm({ credentials, onChange, signIn, go, registered }: CredentialFormProps & { registered: (who: Credentials) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const phoneHint = useId();
  const [phone, setPhone] = useState('+81');
  const [birthday, setBirthday] = useState('');
  const [done, setDone] = useState(false);
  const register = useAction(async () => {
    setDone(false);
    await answer(
      wallet.publicApi.POST('/v1/auth/register', { body: { ...credentials, phone: phone.trim(), ...(birthday ? { birthday } : {}) } }),
    );
    setDone(true);
    registered(credentials);
  });
  return (
    <AuthForm
      heading={t('auth.register.heading')}
      explain={t('auth.register.explain')}
      onSubmit={() => void register.run()}
      links={<BackToSignIn go={go} />}
    >
      <EmailInput value={credentials.email} onChange={(email) => onChange({ ...credentials, email })} />
      <PasswordField
        label={t('auth.password')}
        value={credentials.password}
        onChange={(password) => onChange({ ...credentials, password })}
        choosing
      />
      <label>
        {t('auth.phone')}
        <input
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          required
          pattern="\+[1-9][0-9]{7,14}"
          value={phone}
          aria-describedby={phoneHint}
          onChange={(event) => setPhone(event.target.value)}
        />
      </label>
      <p className="hint" id={phoneHint}>
        {t('auth.phone.hint')}
      </p>
      <label>
        {t('auth.birthday')}
        <input type="date" autoComplete="bday" value={birthday} onChange={(event) => setBirthday(event.target.value)} />
      </label>
      <button type="submit" disabled={register.busy || signIn.busy}>
        {t('auth.register.submit')}
      </button>
      {done && <p role="status">{t('auth.register.done')}</p>}
      <ProblemView problem={register.problem ?? signIn.problem} />
    </AuthForm>
  );
}

function CodeStep({
  challenge,
  resend,
  resending,
  go,
}: {
  challenge: Challenge;
  resend: () => void;
  resending: SignInAction;
  go: (step: Step) => void;
}) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [code, setCode] = useState('');
  const verify = useAction(async () => {
    const tokens = await answer(wallet.publicApi.POST('/v1/auth/mfa/verify', { body: { challengeId: challenge.challengeId, code } }));
    wallet.signedIn(tokens as unknown as Tokens);
  });
  const sms = challenge.method !== 'totp';
  return (
    <AuthForm
      heading={t('auth.code.heading')}
      explain={sms ? t('auth.code.sms', { to: challenge.sentTo ?? '' }) : t('auth.code.totp')}
      onSubmit={() => void verify.run()}
      links={
        <>
          {sms && (
            <button type="button" className="secondary" disabled={resending.busy} onClick={resend}>
              {t('auth.code.resend')}
            </button>
          )}
          <BackToSignIn go={go} />
        </>
      }
    >
      {sms && (
        <p>
          {/* rel=opener: the new tab starts with a copy of this tab's session storage, where the sandbox's keys are. */}
          <a href="/console/inbox" target="_blank" rel="opener">
            {t('auth.code.inbox')}
          </a>
        </p>
      )}
      <CodeInput label={t('auth.code.label')} value={code} onChange={setCode} autoFocus />
      <button type="submit" disabled={verify.busy}>
        {t('auth.code.submit')}
      </button>
      <ProblemView problem={verify.problem ?? resending.problem} />
    </AuthForm>
  );
}

function ForgotForm({ email: typed, go }: { email: string; go: (step: Step) => void }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const { sandbox } = useSession();
  const legacy = sandbox.securityProfile === 'legacy-2019';
  const [email, setEmail] = useState(typed);
  const [legacyFields, setLegacyFields] = useState({ birthday: '', phone: '', sendTo: '' });
  const [sent, setSent] = useState(false);
  const request = useAction(async () => {
    setSent(false);
    const extra = legacy ? Object.fromEntries(Object.entries(legacyFields).filter(([, value]) => value.trim() !== '')) : {};
    await answer(wallet.publicApi.POST('/v1/auth/password-reset', { body: { email, ...extra } }));
    setSent(true);
  });
  const legacyInput = (field: keyof typeof legacyFields, label: string, type: string) => (
    <label>
      {label}
      <input
        type={type}
        value={legacyFields[field]}
        onChange={(event) => setLegacyFields({ ...legacyFields, [field]: event.target.value })}
      />
    </label>
  );
  return (
    <AuthForm
      heading={t('auth.forgot.heading')}
      explain={t('auth.forgot.explain')}
      onSubmit={() => void request.run()}
      links={<BackToSignIn go={go} />}
    >
      <EmailInput value={email} onChange={setEmail} />
      {legacy && (
        <fieldset className="legacy-fields">
          <legend>{t('auth.forgot.legacyLegend')}</legend>
          <p>{t('auth.forgot.legacy')}</p>
          {legacyInput('birthday', t('auth.birthday'), 'date')}
          {legacyInput('phone', t('auth.phone'), 'tel')}
          {legacyInput('sendTo', t('auth.forgot.sendTo'), 'email')}
        </fieldset>
      )}
      <button type="submit" disabled={request.busy}>
        {t('auth.forgot.submit')}
      </button>
      {sent && (
        <p role="status" className="notice ok">
          {t('auth.forgot.sent')}
        </p>
      )}
      <ProblemView problem={request.problem} />
    </AuthForm>
  );
}
