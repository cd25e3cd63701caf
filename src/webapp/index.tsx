import "../shared/zod-without-eval";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { SignedInApp, WebAppProviders } from "./WebApp";
import { SignInGate } from "./components/SignInGate";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <WebAppProviders>
        <SignInGate>{(session) => <SignedInApp key={session.who ?? "token"} session={session} />}</SignInGate>
      </WebAppProviders>
    </StrictMode>,
  );
}
