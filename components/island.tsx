/**
 * `<Island component={Promote} props={{...}} />`: renders an island on the server inside its
 * marker (Fresh's model, islands/README.md). The marker carries the island's name (its file name
 * in `islands/`, which is the component's function name) and a JSON script with its props; the
 * page's one client entry (`islands/lib/client.ts`) finds each marker and hydrates it with the
 * island's bundle. The page shell (`components/document.tsx`) asks the collector which islands
 * a render used, and ships JavaScript only when there were some.
 */
import { type ComponentType, createContext, type VNode } from "preact";
import { useContext } from "preact/hooks";
import { ISLAND_TAG, serializeProps } from "../lib/islands.ts";

/** What one page render learns about its islands. */
export class IslandCollector {
  /** Names of the islands used, in order of first use. */
  readonly used = new Set<string>();
  #count = 0;

  constructor(
    /** Island names the build knows; null when there is no build (nothing will hydrate). */
    readonly known: ReadonlySet<string> | null,
    readonly nonce: string,
  ) {}

  /** A marker id unique in the page. */
  nextId(): number {
    return this.#count++;
  }

  /** Islands never nest: an island may not import components/ (tests/structure_test.ts). */
  use(name: string): void {
    if (this.known && !this.known.has(name)) {
      throw new Error(`No island "${name}" in the build: is islands/${name}.tsx there? Rebuild`);
    }
    this.used.add(name);
  }
}

export const IslandContext = createContext<IslandCollector | null>(null);

/**
 * The island's server rendering inside its marker, with its props beside it. The props' type is
 * the component's; that they are plain JSON is checked as they are written (`serializeProps`):
 * an interface with a Date or a function in it fails the render, naming the prop.
 */
export function Island<P extends object>(
  { component, props }: { component: ComponentType<P>; props: P },
): VNode {
  const collector = useContext(IslandContext);
  if (!collector) throw new Error("<Island> rendered outside a page (no IslandContext)");
  const name = (component as { displayName?: string }).displayName ?? component.name;
  const data = props as Record<string, unknown>;
  const json = serializeProps(name, data);
  const id = collector.nextId();
  collector.use(name);
  const Component = component as ComponentType<Record<string, unknown>>;
  const Tag = ISLAND_TAG as unknown as ComponentType<Record<string, unknown>>;
  return (
    <>
      <script
        type="application/json"
        id={`sy-props-${id}`}
        nonce={collector.nonce}
        dangerouslySetInnerHTML={{ __html: json }}
      />
      <Tag data-island={name} data-props={`sy-props-${id}`}>
        <Component {...data} />
      </Tag>
    </>
  );
}
