import {
  Alert,
  Badge,
  type Column,
  DataTable,
  Loading,
  Page,
  Pager,
  Section,
  SelectField,
  SidePanel,
} from '@goalpost/ui';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { errorMessage } from '../../lib/errors.ts';
import { formatDateTime, linkState, mailKindLabel, mailStatus, plural } from '../../lib/format.ts';
import { useDebouncedValue, usePageFor } from '../../lib/hooks.ts';
import { extractLinks } from '../../lib/links.ts';
import { type LinkState, type MailDetail, type MailRow, useTRPC } from '../../trpc.ts';

export const OUTBOX_PAGE_SIZE = 25;

function MailStatusBadge({ status }: { status: string }) {
  const s = mailStatus(status);
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

/** Whether the mail's link still works: a used, replaced or expired one must not look live. */
function LinkBadge({ state }: { state: LinkState | null }) {
  if (!state) return <span className="gp-muted">—</span>;
  const s = linkState(state);
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

const columns: Column<MailRow>[] = [
  { header: 'To', render: (m) => m.toAddress, className: 'gp-table__wrap' },
  { header: 'Subject', render: (m) => m.subject },
  { header: 'Kind', render: (m) => mailKindLabel(m.kind) },
  { header: 'Status', render: (m) => <MailStatusBadge status={m.status} /> },
  { header: 'Link', render: (m) => <LinkBadge state={m.linkState} /> },
  { header: 'Created', render: (m) => formatDateTime(m.createdAt) },
];

type Kind = 'invite' | 'password-reset';
type Status = MailRow['status'];

const KIND_FILTERS: readonly { value: Kind | ''; label: string }[] = [
  { value: '', label: 'Any kind' },
  { value: 'invite', label: 'Invite' },
  { value: 'password-reset', label: 'Password reset' },
];
const STATUS_FILTERS: readonly { value: Status | ''; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: 'captured', label: 'Captured' },
  { value: 'queued', label: 'Queued' },
  { value: 'sending', label: 'Sending' },
  { value: 'sent', label: 'Sent' },
  { value: 'failed', label: 'Failed' },
];
const LINK_FILTERS: readonly { value: LinkState | ''; label: string }[] = [
  { value: '', label: 'Any link' },
  { value: 'live', label: 'Works' },
  { value: 'used', label: 'Used' },
  { value: 'superseded', label: 'Replaced' },
  { value: 'expired', label: 'Expired' },
];

/** Every mail the app sent or captured: the way to hand out invite links without a mail server. */
export function OutboxPage() {
  const trpc = useTRPC();
  const searchId = useId();
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<Kind | ''>('');
  const [status, setStatus] = useState<Status | ''>('');
  const [link, setLink] = useState<LinkState | ''>('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // Opening a mail is an audited action (it may hold a live link): a mutation made by the click,
  // not a query that a refetch would repeat.
  const opened = useMutation(trpc.mail.open.mutationOptions());
  const openMail = (mailId: string) => {
    setSelectedId(mailId);
    opened.mutate({ mailId });
  };
  const term = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = usePageFor(JSON.stringify([term, kind, status, link]));
  const list = useQuery({
    ...trpc.mail.list.queryOptions({
      search: term || undefined,
      kind: kind || undefined,
      status: status || undefined,
      link: link || undefined,
      page,
      pageSize: OUTBOX_PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
  });
  const total = list.data?.total ?? 0;

  return (
    <Page
      title="Outbox"
      description="Mail sent or captured by Goalpost"
      aside={
        selectedId ? (
          <MailPanel
            key={selectedId}
            mail={opened.data?.id === selectedId ? opened.data : undefined}
            error={opened.error}
            onClose={() => setSelectedId(null)}
          />
        ) : null
      }
    >
      <p className="gp-muted">
        Without a mail server, Goalpost captures mail here instead of sending it. Open a mail to copy its link, and
        check the Link column first: only a link that works is worth handing over. A person&apos;s panel under Users can
        also make a fresh invite link.
      </p>
      <div className="gp-toolbar">
        <div className="gp-field gp-toolbar__grow">
          <label htmlFor={searchId}>Search by recipient</label>
          <input
            id={searchId}
            type="search"
            placeholder="Email address"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <SelectField label="Kind" value={kind} onChange={setKind} options={KIND_FILTERS} />
        <SelectField label="Status" value={status} onChange={setStatus} options={STATUS_FILTERS} />
        <SelectField label="Link" value={link} onChange={setLink} options={LINK_FILTERS} />
      </div>
      <Alert>{list.isError ? errorMessage(list.error) : null}</Alert>
      <DataTable
        caption="Outbox"
        columns={columns}
        rows={list.data?.items ?? []}
        rowKey={(m) => m.id}
        onRowSelect={(m) => openMail(m.id)}
        selectedKey={selectedId}
        loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
        empty={term || kind || status || link ? 'No mail matches.' : 'No mail yet.'}
      />
      {list.data ? (
        <Pager
          page={page}
          pageSize={OUTBOX_PAGE_SIZE}
          total={total}
          onPageChange={setPage}
          describeTotal={(n) => plural(n, 'mail')}
        />
      ) : null}
    </Page>
  );
}

export function MailPanel({
  mail,
  error,
  onClose,
}: {
  mail: MailDetail | undefined;
  error: unknown;
  onClose: () => void;
}) {
  if (!mail) {
    return (
      <SidePanel title="Mail" onClose={onClose}>
        {error ? <Alert>{errorMessage(error)}</Alert> : <Loading />}
      </SidePanel>
    );
  }
  const m = mail;
  const links = extractLinks(m.text);
  const dead = m.linkState !== null && !linkState(m.linkState).works;
  return (
    <SidePanel title={m.subject} subtitle={`To ${m.toAddress}`} onClose={onClose}>
      <Section title="Headers">
        <dl className="gp-dl">
          <dt>To</dt>
          <dd>{m.toAddress}</dd>
          <dt>Subject</dt>
          <dd>{m.subject}</dd>
          <dt>Kind</dt>
          <dd>{mailKindLabel(m.kind)}</dd>
          <dt>Status</dt>
          <dd>
            <MailStatusBadge status={m.status} />
          </dd>
          {m.linkState ? (
            <>
              <dt>Link</dt>
              <dd>
                <LinkBadge state={m.linkState} />
              </dd>
            </>
          ) : null}
          <dt>Created</dt>
          <dd>{formatDateTime(m.createdAt)}</dd>
          <dt>Sent</dt>
          <dd>{formatDateTime(m.sentAt, 'Not sent')}</dd>
          {m.lastError ? (
            <>
              <dt>Last error</dt>
              <dd>{m.lastError}</dd>
            </>
          ) : null}
        </dl>
      </Section>
      <Section title="Links">
        {links.length && dead ? (
          <>
            <p className="gp-muted">
              This link no longer works ({linkState(m.linkState ?? '').label.toLowerCase()}). Do not hand it over: make
              a new one from the person&apos;s panel under Users.
            </p>
            <ul className="gp-mail-links">
              {links.map((url) => (
                <li key={url} className="gp-link-dead">
                  {url}
                </li>
              ))}
            </ul>
          </>
        ) : links.length ? (
          <ul className="gp-mail-links">
            {links.map((url) => (
              <li key={url}>
                <a href={url} rel="noreferrer">
                  {url}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p className="gp-muted">This mail has no links.</p>
        )}
      </Section>
      <Section title="Message">
        <pre className="gp-mail-body">{m.text}</pre>
      </Section>
      {m.html ? (
        <details>
          <summary>HTML version</summary>
          <iframe className="gp-mail-html" title="HTML version of the mail" sandbox="" srcDoc={m.html} />
        </details>
      ) : null}
    </SidePanel>
  );
}
