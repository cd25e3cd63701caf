import type { DownloadedFile } from "../client/files";

/**
 * Hands a downloaded file to the browser as a download. The export needs the bearer token, so it cannot be a
 * plain link: the file is fetched, then saved from memory under the server's name.
 */
export function saveFile({ blob, filename }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, so the download has its bytes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
