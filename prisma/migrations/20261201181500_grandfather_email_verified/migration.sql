-- Password sign-ups now stay unverified (User.emailVerified null) until the mailed link is
-- opened, and an unverified account can neither sign in with its password nor hold a session.
-- Accounts created before that rule could not have been verified this way: they are treated as
-- verified from their creation, so no existing user is locked out. (Such an account may, in
-- theory, be a pre-registration of someone else's address, which cannot be told apart now.)
UPDATE "User" SET "emailVerified" = "createdAt" WHERE "emailVerified" IS NULL
