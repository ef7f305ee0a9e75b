/**
 * @module web/components/CampaignGraph
 * The graph of a campaign's linked accounts (cytoscape), edges labelled by their evidence.
 * Pointer users open an account by clicking its node; keyboard and screen-reader users get
 * the same links in the table the page renders beside it.
 */
import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import { cssVar } from '../lib/theme.js';

export interface GraphNode {
  id: string;
  label: string;
  verdict: string;
  hub?: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  weight: number | null;
}

export interface CampaignGraphProps {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  theme: string;
  label: string;
  onOpen: (id: string) => void;
}

function verdictColor(v: string): string {
  if (v === 'distillation') return cssVar('--c-distillation');
  if (v === 'suspicious') return cssVar('--c-suspicious');
  if (v === 'benign') return cssVar('--c-benign');
  return cssVar('--fg-muted');
}

function stylesheet(showEdgeLabels: boolean): cytoscape.StylesheetJson {
  const fg = cssVar('--fg');
  const bg = cssVar('--bg-raised');
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        label: 'data(label)',
        color: fg,
        'font-size': 12,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        width: 22,
        height: 22,
        'border-width': 2,
        'border-color': bg,
        'text-background-color': bg,
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
      },
    },
    { selector: 'node[?hub]', style: { shape: 'round-rectangle', width: 34, height: 34 } },
    {
      selector: 'edge',
      style: {
        width: 'data(width)',
        'line-color': cssVar('--edge'),
        'curve-style': 'bezier',
        label: showEdgeLabels ? 'data(label)' : '',
        'font-size': 11,
        color: cssVar('--fg-muted'),
        'text-rotation': 'autorotate',
        'text-background-color': bg,
        'text-background-opacity': 0.9,
        'text-background-padding': '1px',
      },
    },
    { selector: 'node:selected', style: { 'border-color': cssVar('--focus'), 'border-width': 3 } },
  ];
}

export function CampaignGraph(props: CampaignGraphProps) {
  const host = useRef<HTMLDivElement>(null);
  const open = useRef(props.onOpen);
  open.current = props.onOpen;
  const { nodes, edges, theme } = props;

  // biome-ignore lint/correctness/useExhaustiveDependencies: colours are read from the theme's CSS variables.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const hub = nodes.some((n) => n.hub);
    const cy = cytoscape({
      container: el,
      elements: [
        ...nodes.map((n) => ({
          data: { id: n.id, label: n.label, color: verdictColor(n.verdict), hub: n.hub === true },
        })),
        ...edges.map((e) => ({
          data: {
            id: e.id,
            source: e.source,
            target: e.target,
            label: e.label,
            width: 1 + 3 * Math.max(0, Math.min(1, e.weight ?? 0.3)),
          },
        })),
      ],
      style: stylesheet(edges.length <= 120),
      // Deterministic layouts: members on a circle (pairwise links), or around the campaign hub.
      layout: hub
        ? {
            name: 'concentric',
            animate: false,
            concentric: (n) => (n.data('hub') ? 2 : 1),
            levelWidth: () => 1,
            minNodeSpacing: 70,
            padding: 30,
          }
        : { name: 'circle', animate: false, padding: 30, avoidOverlap: true },
      wheelSensitivity: 0.3,
      minZoom: 0.2,
      maxZoom: 3,
    });
    if (cy.zoom() > 1.4) cy.zoom({ level: 1.4, position: { x: el.clientWidth / 2, y: el.clientHeight / 2 } });
    cy.center();
    cy.on('tap', 'node', (evt) => {
      const node = evt.target as cytoscape.NodeSingular;
      if (!node.data('hub')) open.current(node.id());
    });
    return () => cy.destroy();
  }, [nodes, edges, theme]);

  return <div className="graph" ref={host} role="img" aria-label={props.label} />;
}
