/**
 * A real local SMTP listener for what a client's connection check does
 * (RFC 5321: greeting, EHLO/HELO, NOOP, RSET, QUIT): enough for nodemailer's
 * verify(), which the launch check uses to prove the mail server answers. It
 * records every command line so a test can assert the client really spoke
 * SMTP. Anything else is answered 502 (not implemented).
 */
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export type SmtpServer = { url: string; commands: string[]; close: () => Promise<void> };

export const startSmtpServer = async (): Promise<SmtpServer> => {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const reply = (socket: Socket, line: string) => {
    commands.push(line);
    const verb = line.split(" ")[0]!.toUpperCase();
    if (verb === "EHLO") socket.write("250-mock.smtp.local\r\n250 8BITMIME\r\n");
    else if (verb === "HELO" || verb === "NOOP" || verb === "RSET") socket.write("250 OK\r\n");
    else if (verb === "QUIT") socket.end("221 Bye\r\n");
    else socket.write("502 Command not implemented\r\n");
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.write("220 mock.smtp.local ESMTP\r\n");
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk.toString("utf8");
      for (let i = buffered.indexOf("\r\n"); i >= 0; i = buffered.indexOf("\r\n")) {
        reply(socket, buffered.slice(0, i));
        buffered = buffered.slice(i + 2);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};
