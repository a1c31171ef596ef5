import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call, client, languageHeader } from '../../api/client';
import type { Notification } from '../../api/schema';
import { Alert, Loading, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';

export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  // Messages are written by the API in the reader's language: refetch when it changes.
  const inbox = useQuery({ queryKey: ['notifications', i18n.language], queryFn: () => call<Notification[]>(client.GET('/api/me/notifications', { params: { header: languageHeader() } })) });
  const read = useMutation({
    mutationFn: (id: string) => call(client.POST('/api/me/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
  return (
    <section>
      <PageTitle>{t('notifications.title')}</PageTitle>
      <Alert error={inbox.error ?? read.error} />
      {inbox.isPending ? (
        <Loading />
      ) : inbox.data?.length ? (
        <ul className="cards">
          {inbox.data.map((n) => (
            <li key={n.id} className={`card${n.readAt ? '' : ' unread'}`}>
              <h2>
                {!n.readAt && <span className="badge">{t('notifications.unread')}</span>} {n.title}
              </h2>
              <p>{n.body}</p>
              <p className="muted small">{formatDateTime(n.createdAt)}</p>
              {!n.readAt && (
                <button type="button" onClick={() => read.mutate(n.id)}>
                  {t('notifications.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('notifications.empty')}</p>
      )}
    </section>
  );
}
