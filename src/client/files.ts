import {
  FILE_MEDIA_TYPES,
  type FileFormat,
  type RouteContract,
  type RouteName,
  type Routes,
  routes,
} from "../shared/routes";
import { type CallInput, type ApiClientOptions, requestFor, send } from "./api-client";

/** The routes that answer a file (a report as CSV or as an Excel workbook). */
export type FileRouteName = {
  [N in RouteName]: Routes[N] extends { file: FileFormat } ? N : never;
}[RouteName];

export interface DownloadedFile {
  blob: Blob;
  /** The server's name for it (Content-Disposition), e.g. `pipeline-by-stage.xlsx`. */
  filename: string;
}

export type FileClient = <N extends FileRouteName>(
  name: N,
  input: CallInput<Routes[N]>,
) => Promise<DownloadedFile>;

/** Downloads a file route of the contract with the same sign-in, query and problems as the JSON calls. */
export function createFileClient(options: ApiClientOptions): FileClient {
  return async (name, input) => {
    const route: RouteContract = routes[name];
    const format = route.file ?? "csv";
    const { url, init } = await requestFor(options, route, input as never, FILE_MEDIA_TYPES[format]);
    const response = await send(options, url, init);
    const disposition = response.headers.get("content-disposition") ?? "";
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${name}.${format}`;
    return { blob: await response.blob(), filename };
  };
}
