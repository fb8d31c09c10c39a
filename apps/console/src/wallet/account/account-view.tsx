import type { Schemas } from '@wallet-sandbox/client';
import { useCallback, useEffect, useState } from 'react';
import { answer } from '../../api.js';
import { ProblemView } from '../../components/problem-view.js';
import { useAction } from '../../components/use-action.js';
import { type MessageKey, formatTime, sandboxTimeZone, useLanguage } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { CodeInput } from '../auth/code-input.js';
import { PasswordField } from '../auth/password-field.js';
import { useWallet } from '../wallet-session.js';

type Profile = Schemas['ProfileDto'];
type SessionRow = Schemas['AuthSessionDto'];
type DeviceRow = Schemas['AuthDeviceDto'];

interface AccountData {
  profile: Profile;
  sessions: SessionRow[];
  devices: DeviceRow[];
}

/** The account, its sessions and phones, the authenticator app, the password, signing out. */
export function AccountView() {
  const { t } = useLanguage();
  const wallet = useWallet();
  const account = useAccountData();
  const signOut = useAction(async () => {
    await answer(wallet.api().POST('/v1/auth/logout'));
    wallet.signedOut();
  });
  const { data } = account;
  return (
    <div className="account-view">
      <h2>{t('account.heading')}</h2>
      <ProblemView problem={account.problem} />
      {data && (
        <>
          <ProfileFacts profile={data.profile} />
          <SessionList sessions={data.sessions} reload={account.reload} />
          <DeviceList data={data} reload={account.reload} />
          <TotpSection profile={data.profile} reload={account.reload} />
          <PasswordChange />
        </>
      )}
      <section className="account-section">
        <button type="button" className="secondary" disabled={signOut.busy} onClick={() => void signOut.run()}>
          {t('account.signOut')}
        </button>
        <ProblemView problem={signOut.problem} />
      </section>
    </div>
  );
}

function useAccountData() {
  const wallet = useWallet();
  const [data, setData] = useState<AccountData | null>(null);
  const fetchAll = useCallback(async () => {
    const api = wallet.api();
    const [profile, sessions, devices] = await Promise.all([
      answer(api.GET('/v1/account')),
      answer(api.GET('/v1/auth/sessions')),
      answer(api.GET('/v1/auth/devices')),
    ]);
    setData({
      profile: profile as unknown as Profile,
      sessions: (sessions as unknown as { data: SessionRow[] }).data,
      devices: (devices as unknown as { data: DeviceRow[] }).data,
    });
  }, [wallet]);
  const load = useAction(fetchAll);
  const { run } = load;
  useEffect(() => {
    void run();
  }, [run]);
  return { data, reload: run, problem: load.problem };
}

function useTimeText() {
  const { language } = useLanguage();
  const { sandbox } = useSession();
  return (iso: string) => formatTime(iso, language, sandboxTimeZone(sandbox.clock.now));
}

function ProfileFacts({ profile }: { profile: Profile }) {
  const { t } = useLanguage();
  const time = useTimeText();
  const facts: Array<[MessageKey, string]> = [
    ['account.email', profile.email],
    ['account.phone', profile.phone],
    ['account.wallet', profile.walletId],
    ['account.since', time(profile.createdAt)],
    ['account.secondFactor', t(profile.totpEnabled ? 'account.factor.totp' : 'account.factor.sms')],
  ];
  return (
    <dl className="account-facts" data-testid="profile-facts">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{t(label)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** "Chrome 140 on Linux" from a user agent, or the raw string's start. */
function agentName(userAgent: string | null, unknown: string): string {
  if (!userAgent) return unknown;
  const browser =
    /(Edg|OPR|Firefox|Chrome|Version)\/(\d+)/.exec(userAgent)?.slice(1).join(' ').replace('Version', 'Safari').replace('Edg', 'Edge') ??
    userAgent.slice(0, 40);
  const system = [
    ['Android', 'Android'],
    ['iPhone', 'iOS'],
    ['Windows', 'Windows'],
    ['Mac OS X', 'macOS'],
    ['Linux', 'Linux'],
  ].find(([mark]) => userAgent.includes(mark))?.[1];
  return system ? `${browser} · ${system}` : browser;
}

function SessionList({ sessions, reload }: { sessions: SessionRow[]; reload: () => Promise<void> }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const time = useTimeText();
  const end = useAction(async (id: string) => {
    await answer(wallet.api().DELETE('/v1/auth/sessions/{id}', { params: { path: { id } } }));
    await reload();
  });
  return (
    <section className="account-section" aria-labelledby={`sessions-${wallet.slot}`}>
      <h3 id={`sessions-${wallet.slot}`}>{t('account.sessions')}</h3>
      {sessions.length === 0 && <p>{t('account.sessions.none')}</p>}
      <ul className="account-list">
        {sessions.map((session) => (
          <li key={session.id} data-testid="session" data-current={session.current}>
            <div className="row-title">
              <strong>{agentName(session.userAgent, t('account.agent.unknown'))}</strong>
              {session.current && <span className="badge current">{t('account.session.current')}</span>}
            </div>
            <div className="row-facts">
              {session.ip && <span>{t('account.agent.ip', { ip: session.ip })}</span>}
              <span>{t('account.session.started', { time: time(session.createdAt) })}</span>
              <span>{t('account.session.used', { time: time(session.lastUsedAt) })}</span>
            </div>
            {!session.current && (
              <button type="button" className="secondary" disabled={end.busy} onClick={() => void end.run(session.id)}>
                {t('account.session.end')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <ProblemView problem={end.problem} />
    </section>
  );
}

function DeviceList({ data, reload }: { data: AccountData; reload: () => Promise<void> }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const time = useTimeText();
  const thisDevice = data.sessions.find((session) => session.current)?.deviceId;
  const forget = useAction(async (id: string) => {
    await answer(wallet.api().DELETE('/v1/auth/devices/{id}', { params: { path: { id } } }));
    if (id === thisDevice) wallet.signedOut();
    else await reload();
  });
  return (
    <section className="account-section" aria-labelledby={`devices-${wallet.slot}`}>
      <h3 id={`devices-${wallet.slot}`}>{t('account.devices')}</h3>
      <ul className="account-list">
        {data.devices.map((device) => (
          <li key={device.id} data-testid="device" data-trusted={device.trusted} data-this={device.id === thisDevice}>
            <div className="row-title">
              <strong>{agentName(device.userAgent, t('account.agent.unknown'))}</strong>
              {device.id === thisDevice && <span className="badge current">{t('account.device.this')}</span>}
            </div>
            <div className="row-facts">
              <span className={`trust ${device.trusted ? 'trusted' : 'untrusted'}`}>
                {device.trusted ? '✓ ' : '! '}
                {t(device.trusted ? 'account.device.trusted' : 'account.device.untrusted')}
              </span>
              <span>{t('account.device.seen', { time: time(device.lastSeenAt) })}</span>
            </div>
            <button type="button" className="secondary" disabled={forget.busy} onClick={() => void forget.run(device.id)}>
              {t(device.id === thisDevice ? 'account.device.forgetThis' : 'account.device.forget')}
            </button>
          </li>
        ))}
      </ul>
      <ProblemView problem={forget.problem} />
    </section>
  );
}

interface Enrolment {
  secret: string;
  otpauthUrl: string;
}

function TotpSection({ profile, reload }: { profile: Profile; reload: () => Promise<void> }) {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [enabled, setEnabled] = useState(false);
  const start = useAction(async () => {
    setEnabled(false);
    const started = await wallet.withStepUp(() => answer(wallet.api().POST('/v1/auth/totp')));
    setEnrolment(started as unknown as Enrolment);
  });
  const confirm = useAction(async () => {
    await answer(wallet.api().POST('/v1/auth/totp/confirm', { body: { code } }));
    setEnrolment(null);
    setCode('');
    setEnabled(true);
    await reload();
  });
  const disable = useAction(async () => {
    await wallet.withStepUp(() => answer(wallet.api().DELETE('/v1/auth/totp')));
    setEnabled(false);
    await reload();
  });
  return (
    <section className="account-section" aria-labelledby={`totp-${wallet.slot}`}>
      <h3 id={`totp-${wallet.slot}`}>{t('account.totp')}</h3>
      <p>{t(profile.totpEnabled ? 'account.totp.on' : 'account.totp.off')}</p>
      {enabled && (
        <p role="status" className="notice ok">
          {t('account.totp.enabled')}
        </p>
      )}
      {profile.totpEnabled ? (
        <button type="button" className="secondary" disabled={disable.busy} onClick={() => void disable.run()}>
          {t('account.totp.disable')}
        </button>
      ) : enrolment ? (
        <form
          className="totp-enrolment"
          onSubmit={(event) => {
            event.preventDefault();
            void confirm.run();
          }}
        >
          <p>{t('account.totp.scan')}</p>
          <QrImage text={enrolment.otpauthUrl} alt={t('account.totp.qr')} />
          <p>
            {t('account.totp.secret')} <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <CodeInput label={t('account.totp.code')} value={code} onChange={setCode} />
          <button type="submit" disabled={confirm.busy}>
            {t('account.totp.confirm')}
          </button>
        </form>
      ) : (
        <button type="button" disabled={start.busy} onClick={() => void start.run()}>
          {t('account.totp.start')}
        </button>
      )}
      <ProblemView problem={start.problem ?? confirm.problem ?? disable.problem} />
    </section>
  );
}

/** The otpauth:// URL as a QR code, drawn in the browser (a data: URL, which the page's CSP allows). */
function QrImage({ text, alt }: { text: string; alt: string }) {
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode')
      .then((qrcode) => qrcode.toDataURL(text, { margin: 2, width: 220, errorCorrectionLevel: 'M' }))
      .then((url) => {
        if (live) setSource(url);
      });
    return () => {
      live = false;
    };
  }, [text]);
  return source ? <img className="totp-qr" src={source} alt={alt} width={220} height={220} /> : null;
}

function PasswordChange() {
  const { t } = useLanguage();
  const wallet = useWallet();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useAction(async () => {
    await wallet.withStepUp(() =>
      answer(wallet.api().POST('/v1/auth/password', { body: { currentPassword: current, newPassword: next } })),
    );
    wallet.signedOut('password_changed');
  });
  return (
    <section className="account-section" aria-labelledby={`password-${wallet.slot}`}>
      <h3 id={`password-${wallet.slot}`}>{t('account.password')}</h3>
      <form
        className="auth-form"
        onSubmit={(event) => {
          event.preventDefault();
          void change.run();
        }}
      >
        <p className="hint">{t('account.password.explain')}</p>
        <PasswordField label={t('account.password.current')} value={current} onChange={setCurrent} />
        <PasswordField label={t('account.password.new')} value={next} onChange={setNext} choosing />
        <button type="submit" disabled={change.busy}>
          {t('account.password.submit')}
        </button>
        <ProblemView problem={change.problem} />
      </form>
    </section>
  );
}
