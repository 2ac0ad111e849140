/**
 * A version's files: path, type, size and the precompressed variants the edge serves, a page of
 * them at a time (a package may hold 20,000 files).
 */
import type { VNode } from "preact";
import type { ManifestFile } from "../../kv/manifests.ts";
import { formatBytes } from "../ui.tsx";

const FILES_PER_PAGE = 100;

/** How much smaller a compressed variant is, as a whole percentage ("-72%"). */
function saved(size: number, compressed: number): string {
  return size > 0 ? `-${Math.round((1 - compressed / size) * 100)}%` : "";
}

interface Props {
  files: ManifestFile[];
  /** 1-based page of the list shown. */
  page: number;
  /** The page's own URL without `files=`, for the pager's links. */
  baseUrl: string;
}

function Variant({ size, variant }: { size: number; variant: { size: number } | undefined }) {
  if (!variant) return <span class="muted" aria-label="none">—</span>;
  return (
    <>
      {formatBytes(variant.size)} <span class="muted">({saved(size, variant.size)})</span>
    </>
  );
}

export function FilesTable({ files, page, baseUrl }: Props): VNode {
  const pages = Math.max(1, Math.ceil(files.length / FILES_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = files.slice((current - 1) * FILES_PER_PAGE, current * FILES_PER_PAGE);
  const link = (n: number) => `${baseUrl}${baseUrl.includes("?") ? "&" : "?"}files=${n}#files`;
  return (
    <section class="card" id="files" aria-labelledby="files-title">
      <h2 id="files-title">Files</h2>
      <p class="muted">
        {files.length}{" "}
        {files.length === 1 ? "file" : "files"}; text files are served compressed (Brotli or gzip)
        to browsers that accept it.
      </p>
      <div class="table-wrap" tabIndex={0} role="region" aria-label="Files of this version">
        <table>
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col" class="type">Type</th>
              <th scope="col" class="num">Size</th>
              <th scope="col" class="num">Brotli</th>
              <th scope="col" class="num gzip">gzip</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((file) => (
              <tr key={file.path}>
                <td class="path">
                  <code>{file.path}</code>
                </td>
                <td class="type">{file.content_type.split(";")[0]}</td>
                <td class="num">{formatBytes(file.size)}</td>
                <td class="num">
                  <Variant size={file.size} variant={file.br} />
                </td>
                <td class="num gzip">
                  <Variant size={file.size} variant={file.gzip} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav class="pager" aria-label="Pages of files">
          {current > 1 && <a href={link(current - 1)} rel="prev">Previous</a>}
          <span>Page {current} of {pages}</span>
          {current < pages && <a href={link(current + 1)} rel="next">Next</a>}
        </nav>
      )}
    </section>
  );
}
