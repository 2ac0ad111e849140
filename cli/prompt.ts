/** One line typed by a person, for the confirmations that guard what cannot be undone. */

/**
 * Writes `question` to stderr and reads one line from stdin. Null when stdin ends first (a CI
 * job with no input): nobody is there to confirm, and the caller must not go on.
 */
export async function readLine(question: string): Promise<string | null> {
  await Deno.stderr.write(new TextEncoder().encode(question));
  const decoder = new TextDecoder();
  let text = "";
  const buffer = new Uint8Array(256);
  while (!text.includes("\n")) {
    const read = await Deno.stdin.read(buffer);
    if (read === null) {
      // Nobody typed anything: end the question's line, so what follows starts on its own.
      if (text === "") await Deno.stderr.write(new TextEncoder().encode("\n"));
      return text === "" ? null : text;
    }
    text += decoder.decode(buffer.subarray(0, read), { stream: true });
  }
  return text.slice(0, text.indexOf("\n")).replace(/\r$/, "");
}
