/** After termination: the refund claim and its status. */
export function RefundClaimView() {
  return <p>RefundClaimView</p>;
}
