/// <reference types="office-js" />

/**
 * Who Outlook says is signed in, to hint MSAL: the account's sign-in name where Outlook tells it (IdentityAPI
 * 1.3), the mailbox's address otherwise (usually the same).
 */
export async function outlookLoginHint(): Promise<string | null> {
  if (Office.context.requirements.isSetSupported("IdentityAPI", "1.3")) {
    try {
      const context = await Office.auth.getAuthContext();
      if (context.userPrincipalName) return context.userPrincipalName;
    } catch {
      // Not available in this Outlook after all: the mailbox's address below.
    }
  }
  return Office.context.mailbox?.userProfile?.emailAddress ?? null;
}
