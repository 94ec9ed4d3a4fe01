// An API error as the API worded it, announced to screen readers when it appears.
export function ErrorText({ message }: { message: string | undefined }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}
