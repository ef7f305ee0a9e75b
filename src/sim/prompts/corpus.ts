/**
 * @module sim/prompts/corpus
 * Synthesised public-corpus texts: encyclopedia articles, textbook sections, paper excerpts and
 * news features on subjects across the sciences, humanities, law and technology. They are what a
 * harvester scrapes to ground its prompts (no org's own vocabulary in them, unlike the business
 * documents of documents.ts), sized in characters like the other generators.
 */
import type { Rng } from '../rng.js';
import { fill } from './fill.js';

/** A field: its subjects (article titles) and the terms its sentences are built from. */
interface Field {
  subjects: readonly string[];
  terms: readonly string[];
}

const FIELDS: readonly Field[] = [
  {
    subjects: ['Plate tectonics', 'Glaciation', 'Volcanic arcs', 'Sediment transport', 'Monsoon systems'],
    terms: [
      'the lithosphere',
      'subduction',
      'the mantle',
      'erosion',
      'seismic waves',
      'the ocean floor',
      'magma',
      'the continental shelf',
    ],
  },
  {
    subjects: [
      'Enzyme kinetics',
      'The immune response',
      'Gene regulation',
      'Photosynthesis',
      'Cell signalling',
    ],
    terms: [
      'the substrate',
      'the receptor',
      'transcription factors',
      'the membrane',
      'ATP',
      'the cytoplasm',
      'antibodies',
      'chloroplasts',
    ],
  },
  {
    subjects: [
      'Monetary policy',
      'Comparative advantage',
      'Labour markets',
      'Inflation targeting',
      'Trade balances',
    ],
    terms: [
      'the central bank',
      'interest rates',
      'aggregate demand',
      'the exchange rate',
      'wages',
      'productivity',
      'tariffs',
      'the money supply',
    ],
  },
  {
    subjects: [
      'The Hanseatic League',
      'The Meiji Restoration',
      'The Congress of Vienna',
      'The Silk Road',
      'The Reformation',
    ],
    terms: [
      'the merchants',
      'the treaty',
      'the guilds',
      'the monarchy',
      'trade routes',
      'the clergy',
      'the provinces',
      'the reforms',
    ],
  },
  {
    subjects: [
      'Contract formation',
      'Judicial review',
      'Tort liability',
      'Intellectual property',
      'Administrative law',
    ],
    terms: [
      'the plaintiff',
      'the statute',
      'consideration',
      'the court',
      'precedent',
      'the defendant',
      'damages',
      'the legislature',
    ],
  },
  {
    subjects: [
      'Distributed consensus',
      'Garbage collection',
      'Public-key cryptography',
      'Compiler optimisation',
      'Database indexing',
    ],
    terms: [
      'the leader',
      'the heap',
      'the private key',
      'the intermediate representation',
      'the B-tree',
      'replicas',
      'the cache',
      'latency',
    ],
  },
  {
    subjects: [
      'Thermodynamics',
      'Superconductivity',
      'Optical interference',
      'Fluid turbulence',
      'Nuclear fusion',
    ],
    terms: [
      'entropy',
      'the lattice',
      'the wavefront',
      'viscosity',
      'the plasma',
      'energy levels',
      'the boundary layer',
      'the magnetic field',
    ],
  },
  {
    subjects: [
      'Cognitive dissonance',
      'Working memory',
      'Attachment theory',
      'Operant conditioning',
      'Decision heuristics',
    ],
    terms: [
      'the participants',
      'reinforcement',
      'attention',
      'the control group',
      'bias',
      'recall',
      'the stimulus',
      'motivation',
    ],
  },
  {
    subjects: [
      'Social contract theory',
      'Utilitarian ethics',
      'Epistemic justification',
      'Free will',
      'Aesthetic judgement',
    ],
    terms: [
      'the argument',
      'moral duty',
      'the premise',
      'autonomy',
      'knowledge',
      'the thought experiment',
      'virtue',
      'consent',
    ],
  },
  {
    subjects: [
      'Antibiotic resistance',
      'Cardiac arrhythmia',
      'Vaccine development',
      'Sleep physiology',
      'Epidemiological surveillance',
    ],
    terms: [
      'the pathogen',
      'the trial',
      'the dosage',
      'the heart rhythm',
      'immunity',
      'the cohort',
      'mortality',
      'the clinic',
    ],
  },
];

const VERBS = [
  'shapes',
  'constrains',
  'depends on',
  'interacts with',
  'is often confused with',
  'was first described alongside',
  'determines',
  'is measured relative to',
  'weakens',
  'reinforces',
];

const FRAMES = [
  '{A} {v} {B}, which explains why {C} changes over time.',
  'In most accounts, {A} {v} {B}; critics argue that {C} matters more.',
  'Early studies treated {A} as independent of {B}, but later work showed that it {v} {C}.',
  'A common example is the way {A} {v} {B} when {C} is held constant.',
  'The relationship between {A} and {B} remains debated, particularly where {C} is concerned.',
  'Historically, {A} {v} {B}, and by the {1850-2020}s this had reshaped {C}.',
  'Measurements suggest that {A} {v} {B} in roughly {5-95}% of observed cases.',
  'Because {A} {v} {B}, any change in {C} propagates through the system.',
];

/** One sentence of a field's article. */
function sentence(rng: Rng, f: Field): string {
  const [a, b, c] = rng.sample(f.terms, 3);
  const s = fill(rng, rng.pick(FRAMES), { A: a!, B: b!, C: c!, v: rng.pick(VERBS) });
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const KINDS = ['encyclopedia', 'textbook', 'paper', 'news'] as const;
const SECTIONS = ['Background', 'Mechanism', 'History', 'Evidence', 'Applications', 'Criticism', 'See also'];

/**
 * A public text of roughly `chars` characters on a subject drawn from any field: a title, then
 * sections (encyclopedia, textbook), an abstract and sections (paper) or a dateline (news).
 */
export function article(rng: Rng, chars: number): string {
  const f = rng.pick(FIELDS);
  const subject = rng.pick(f.subjects);
  const kind = rng.pick(KINDS);
  const title =
    kind === 'paper'
      ? fill(
          rng,
          `{On|Revisiting|A note on|Towards a theory of} ${subject.toLowerCase()} {and|in} ${rng.pick(f.terms)}`,
        )
      : kind === 'news'
        ? fill(
            rng,
            `{New|Landmark|Disputed} findings on ${subject.toLowerCase()} {surprise|divide|reassure} experts`,
          )
        : subject;
  const parts: string[] = [title];
  if (kind === 'paper') parts.push(`Abstract. ${sentence(rng, f)} ${sentence(rng, f)} ${sentence(rng, f)}`);
  if (kind === 'news') parts.push(fill(rng, '{GENEVA|NAIROBI|OSAKA|LIMA|OSLO|DENVER}, {month} {1-28} —'));
  let len = parts.join('\n\n').length;
  let section = 0;
  while (len < chars) {
    if (kind !== 'news' && section < SECTIONS.length && (section === 0 || rng.chance(0.4))) {
      parts.push(`${kind === 'paper' ? `${section + 1}. ` : ''}${SECTIONS[section]!}`);
      section++;
    }
    const para = Array.from({ length: rng.int(3, 6) }, () => sentence(rng, f)).join(' ');
    parts.push(para);
    len += para.length + 2;
  }
  return parts.join('\n\n');
}
