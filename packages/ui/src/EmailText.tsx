/**
 * An email address that may wrap after its "@" (and at its dots) rather than anywhere, so a narrow
 * table breaks `person.number.10@` / `shots-finance-team.test` instead of `admin@goalpost.te` / `st`.
 */
export function EmailText({ value }: { value: string }) {
  const at = value.lastIndexOf('@');
  if (at < 0) return <>{value}</>;
  return (
    <>
      {value.slice(0, at + 1)}
      <wbr />
      {value.slice(at + 1)}
    </>
  );
}
