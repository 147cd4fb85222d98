// Small readings and writings of wire values that several parts of the core (and the layers
// around it) share. Each is defined here once.

/** NumericDate (RFC 7519 §2): whole seconds since the epoch. */
export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The words of a stored space-delimited list (scopes, prompts, grant types); empty words dropped. */
export const spaceList = (value: string): string[] => value.split(" ").filter(Boolean);

/** RFC 9110 §8.3.1: a Content-Type's media type, lower case, without parameters. */
export function mediaTypeOf(contentType: string | null | undefined): string | undefined {
  return contentType?.split(";")[0]?.trim().toLowerCase();
}
