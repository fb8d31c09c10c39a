import { useCallback, useEffect, useState } from 'react';
import type { Schemas } from '@wallet-sandbox/client';
import { answer, client } from '../api.js';
import { ProblemView } from '../components/problem-view.js';
import { useAction } from '../components/use-action.js';
import { formatTime, sandboxTimeZone, useLanguage } from '../i18n/index.js';
import { useSession } from '../session.js';

type Message = Schemas['MessageListDto']['data'][number];
const POLL_MS = 1500;

/** The sandbox's e-mails and SMS, as the customers would receive them. */
export function InboxPanel({ compact = false }: { compact?: boolean }) {
  const { t } = useLanguage();
  const [to, setTo] = useState('');
  const messages = useInbox(to);
  return (
    <section className={`panel inbox${compact ? ' compact' : ''}`} aria-labelledby="inbox-heading">
      <h2 id="inbox-heading">{t('inbox.heading')}</h2>
      {!compact && <p>{t('inbox.explain')}</p>}
      <label>
        {t('inbox.filter')}
        <input type="search" value={to} onChange={(event) => setTo(event.target.value)} autoComplete="off" />
      </label>
      <ProblemView problem={messages.problem} />
      {messages.list.length === 0 ? <p>{t('inbox.empty')}</p> : <MessageList list={messages.list} scrolls={compact} />}
    </section>
  );
}

/** A compact inbox scrolls within its box: the list then takes the keyboard's focus, so it can be scrolled without a mouse. */
function MessageList({ list, scrolls }: { list: Message[]; scrolls: boolean }) {
  const { t, language } = useLanguage();
  const { sandbox } = useSession();
  return (
    <ol className="messages" aria-live="polite" aria-labelledby="inbox-heading" tabIndex={scrolls ? 0 : undefined}>
      {list.map((message) => (
        <li key={message.id} className={`message ${message.channel}`} data-testid="message">
          <div className="message-meta">
            <span className="badge">{message.channel === 'email' ? t('inbox.email') : t('inbox.sms')}</span>
            <span>{t('inbox.to', { to: message.to })}</span>
            <time dateTime={message.createdAt}>{formatTime(message.createdAt, language, sandboxTimeZone(sandbox.clock.now))}</time>
          </div>
          {message.subject && <strong>{message.subject}</strong>}
          <p className="message-body">{linkify(message.body)}</p>
        </li>
      ))}
    </ol>
  );
}

/** Links in a message (the password reset's) open in this tab, where the sandbox is open. */
function linkify(text: string) {
  return text.split(/(https?:\/\/\S+)/g).map((part, index) =>
    /^https?:\/\//.test(part) ? (
      <a key={index} href={part}>
        {part}
      </a>
    ) : (
      part
    ),
  );
}

function useInbox(to: string) {
  const { secretKey } = useSession();
  const [list, setList] = useState<Message[]>([]);
  const fetchPage = useCallback(async () => {
    const filter = to.trim();
    const page = await answer(
      client({ token: secretKey }).GET('/v1/sandbox/messages', { params: { query: { limit: 50, ...(filter ? { to: filter } : {}) } } }),
    );
    setList(page.data);
  }, [to, secretKey]);
  const load = useAction(fetchPage);
  const { run } = load;
  useEffect(() => {
    void run();
    const timer = setInterval(() => void run(), POLL_MS);
    return () => clearInterval(timer);
  }, [run]);
  return { list, problem: load.problem };
}
