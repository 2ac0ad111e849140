/**
 * A real SMTP server on loopback (the npm `smtp-server` package), started inside a test, that
 * keeps every message it receives.
 */
import { SMTPServer } from "smtp-server";

export interface Received {
  from: string;
  to: string[];
  data: string;
}

export async function startSmtp(): Promise<
  { port: number; received: Received[]; close(): Promise<void> }
> {
  const received: Received[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Uint8Array[] = [];
      stream.on("data", (chunk: Uint8Array) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          data: new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c]))),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as { port: number }).port;
  return { port, received, close: () => new Promise((resolve) => smtp.close(() => resolve())) };
}
