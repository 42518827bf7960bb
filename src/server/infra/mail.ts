import "server-only";
import nodemailer from "nodemailer";
import { env } from "~/env";
import { db } from "~/server/db/client";
import { logger } from "./logger";

export type Mail = { to: string; subject: string; text: string };

const g = globalThis as unknown as { __ocsuiteMailer?: nodemailer.Transporter };

/**
 * Sends mail through SMTP_URL when configured. Without it (the embedded
 * default) the message is stored for the dev mailbox page and logged, so magic
 * links and invitations work with no mail server.
 */
export const sendMail = async (mail: Mail): Promise<{ transport: "smtp" | "devbox" }> => {
  if (env.SMTP_URL) {
    g.__ocsuiteMailer ??= nodemailer.createTransport(env.SMTP_URL);
    await g.__ocsuiteMailer.sendMail({ from: env.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    logger.info({ to: mail.to, subject: mail.subject }, "mail sent");
    return { transport: "smtp" };
  }
  await db.devMail.create({ data: { to: mail.to.toLowerCase(), subject: mail.subject, text: mail.text } });
  logger.info({ to: mail.to, subject: mail.subject, text: mail.text }, "mail stored in the dev mailbox (no SMTP_URL)");
  return { transport: "devbox" };
};

/** The dev mailbox is shown only when no SMTP server is configured and DEV_MAILBOX is on. */
export const devMailboxEnabled = () => !env.SMTP_URL && (env.DEV_MAILBOX || env.NODE_ENV !== "production");

export const listDevMail = async (limit = 50) =>
  db.devMail.findMany({ orderBy: { createdAt: "desc" }, take: limit });
