import { useQuery } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { CardQr } from '../../api/schema';
import { Alert, Loading, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';
import { useSession } from '../../session';
import { PersonalDataSection } from './PersonalData';

export function CardPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  // The code lives 60 s; fetch a new one a little before it ends.
  const qr = useQuery({
    queryKey: ['card-qr'],
    queryFn: () => call<CardQr>(client.GET('/api/me/card/qr')),
    refetchInterval: (q) => {
      const expiresAt = q.state.data?.expiresAt;
      return expiresAt ? Math.max(5_000, new Date(expiresAt).getTime() - Date.now() - 10_000) : 30_000;
    },
  });
  const card = me?.kind === 'patron' ? me.card : null;
  const seconds = qr.data ? Math.round((new Date(qr.data.expiresAt).getTime() - qr.dataUpdatedAt) / 1000) : 60;
  return (
    <section className="narrow center">
      <PageTitle>{t('card.title')}</PageTitle>
      {me && <p className="big">{me.name}</p>}
      <Alert error={qr.error} />
      {qr.isPending ? (
        <Loading />
      ) : qr.data ? (
        <figure className="qr">
          <QRCodeSVG value={qr.data.token} size={240} marginSize={2} title={t('card.qrHelp', { seconds })} role="img" aria-label={t('card.qrHelp', { seconds })} />
          <figcaption>
            {t('card.qrHelp', { seconds })}
            <br />
            {t('card.expires', { time: formatDateTime(qr.data.expiresAt) })}
          </figcaption>
        </figure>
      ) : null}
      {card && (
        <dl className="facts">
          <dt>{t('card.number')}</dt>
          <dd className="mono" data-testid="card-number">
            {card.number}
          </dd>
          <dt>{t('card.status')}</dt>
          <dd>{t(`card.${card.status}`, { defaultValue: card.status })}</dd>
        </dl>
      )}
      {me?.kind === 'patron' && <PersonalDataSection />}
    </section>
  );
}
