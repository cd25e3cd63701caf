import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import type { z } from "zod";
import type { PasskeyRegistration } from "../../shared/accounts";

/**
 * The browser's side of adding a passkey: the server's options in, the authenticator's response out (WebAuthn's
 * own JSON, which the server checks). A page takes it as a parameter, so tests hand in an authenticator of their
 * own where the browser has none.
 */
export type CreatePasskey = (
  options: { challenge: string } & Record<string, unknown>,
) => Promise<PasskeyResponse>;

/** The authenticator's response, as the registration route's contract outlines it. */
export type PasskeyResponse = z.input<typeof PasskeyRegistration>["response"];

/** Why the browser made no passkey: none can be made here, or the person (or the time limit) cancelled it. */
export class PasskeyNotMade extends Error {
  constructor(readonly reason: "unsupported" | "cancelled") {
    super(reason);
  }
}

export const createPasskeyInBrowser: CreatePasskey = async (options) => {
  if (!browserSupportsWebAuthn()) throw new PasskeyNotMade("unsupported");
  try {
    const response = await startRegistration({
      optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
    });
    return {
      ...response,
      response: { ...response.response },
      clientExtensionResults: { ...response.clientExtensionResults },
    };
  } catch (error) {
    // NotAllowedError: dismissed, or the browser's own time ran out; AbortError: another ceremony took over.
    if (error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError"))
      throw new PasskeyNotMade("cancelled");
    throw error;
  }
};
