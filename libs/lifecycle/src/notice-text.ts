/** The dates an abolition notice announces. */
export interface NoticeDates {
  terminationAt: Date;
  refundClaimsFrom: Date;
  refundClaimsUntil: Date;
}

const JST = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function formatJst(at: Date): string {
  return `${JST.format(at).replace(',', '')} JST`;
}

/** The notice every holder receives, as the Payment Services Act asks: when it ends, how and until when to claim. */
export function noticeText(notice: NoticeDates): { title: string; body: string } {
  return {
    title: 'Notice of the abolition of the service and the refund of balances',
    body: [
      `The service will end at ${formatJst(notice.terminationAt)}. From then on the balance can no longer be used to pay.`,
      `Holders of a balance can claim its refund from ${formatJst(notice.refundClaimsFrom)} until ${formatJst(notice.refundClaimsUntil)}, free of charge,`,
      'by bank transfer or a postal payout slip, in the app (refund claim). We check the claim against the registered e-mail address and phone number.',
      'After the deadline the right to a refund under the Payment Services Act ends.',
    ].join('\n'),
  };
}
