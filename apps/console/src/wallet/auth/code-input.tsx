/** A 6-digit one-time code: from the SMS, or the authenticator app. */
export function CodeInput({
  label,
  value,
  onChange,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange: (code: string) => void;
  autoFocus?: boolean;
}) {
  return (
    <label>
      {label}
      <input
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        autoFocus={autoFocus}
        value={value}
        onChange={(event) => onChange(event.target.value.trim())}
      />
    </label>
  );
}
