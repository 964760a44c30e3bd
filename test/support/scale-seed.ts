/**
 * Seeds an inventory of any size in bulk, in the shape the product writes (`register`, check-outs,
 * people's profiles, requests), for the scale benchmark and the documents-examined test. Written
 * behind the application's back: call `app.database.rebuildDerivedData()` afterwards.
 * Deterministic: the same size gives the same data.
 */
import type { Db } from 'mongodb';
import type { NewFakeUser } from '@custodian/fake-slack';
import { assetSearchKeys, equalityKey, searchKeysVersion } from '../../src/domain/index.js';

const categories: Array<{
  name: string;
  prefix: string;
  weight: number;
  makers: string[];
  families: string[];
}> = [
  {
    name: 'Laptop',
    prefix: 'LAP',
    weight: 30,
    makers: ['Apple', 'Lenovo', 'Dell'],
    families: [
      'MacBook Pro 14',
      'MacBook Air 13',
      'ThinkPad X1 Carbon',
      'ThinkPad T14',
      'XPS 13',
      'Latitude 7440',
      'MacBook Pro 16',
      'ThinkPad P1',
      'Latitude 5540',
      'XPS 15',
    ],
  },
  {
    name: 'Monitor',
    prefix: 'MON',
    weight: 20,
    makers: ['Dell', 'LG', 'Samsung'],
    families: [
      'UltraSharp U2723QE',
      'UltraFine 27',
      'Odyssey G7',
      'P2422H',
      'UltraGear 32',
      'ViewFinity S8',
      'S2721Q',
      'UltraWide 34',
      'Smart M8',
      'E2423H',
    ],
  },
  {
    name: 'Phone',
    prefix: 'PHN',
    weight: 10,
    makers: ['Apple', 'Google', 'Samsung'],
    families: [
      'iPhone 15',
      'iPhone 15 Pro',
      'Pixel 8',
      'Pixel 8 Pro',
      'Galaxy S24',
      'Galaxy A55',
      'iPhone SE',
      'Pixel 7a',
      'Galaxy S23',
      'iPhone 14',
    ],
  },
  {
    name: 'Tablet',
    prefix: 'TAB',
    weight: 4,
    makers: ['Apple', 'Samsung', 'Microsoft'],
    families: [
      'iPad Air',
      'iPad Pro 11',
      'Galaxy Tab S9',
      'Surface Pro 9',
      'iPad mini',
      'Galaxy Tab A9',
      'Surface Go 4',
      'iPad 10',
      'iPad Pro 13',
      'Galaxy Tab S8',
    ],
  },
  {
    name: 'Keyboard',
    prefix: 'KBD',
    weight: 6,
    makers: ['Logitech', 'Apple', 'Keychron'],
    families: [
      'MX Keys',
      'Magic Keyboard',
      'K8 Pro',
      'MX Mechanical',
      'K380',
      'Q1 Max',
      'Ergo K860',
      'Magic Keyboard Touch ID',
      'K2',
      'Craft',
    ],
  },
  {
    name: 'Mouse',
    prefix: 'MOU',
    weight: 6,
    makers: ['Logitech', 'Apple', 'Microsoft'],
    families: [
      'MX Master 3S',
      'Magic Mouse',
      'MX Anywhere 3',
      'Lift Vertical',
      'M720',
      'Arc Mouse',
      'Pebble M350',
      'Bluetooth Ergonomic',
      'G305',
      'Surface Mouse',
    ],
  },
  {
    name: 'Headset',
    prefix: 'HDS',
    weight: 5,
    makers: ['Jabra', 'Poly', 'Sony'],
    families: [
      'Evolve2 65',
      'Voyager Focus 2',
      'WH-1000XM5',
      'Evolve2 85',
      'Blackwire 3320',
      'Engage 55',
      'Evolve2 40',
      'Voyager 4320',
      'WH-CH720N',
      'Elite 85h',
    ],
  },
  {
    name: 'Dock',
    prefix: 'DCK',
    weight: 4,
    makers: ['Dell', 'Lenovo', 'CalDigit'],
    families: [
      'WD19TB',
      'ThinkPad USB-C Dock',
      'TS4',
      'WD22TB4',
      'Thunderbolt 4 Dock',
      'Element Hub',
      'UD22',
      'Hybrid USB-C',
      'TS3 Plus',
      'WD19S',
    ],
  },
  {
    name: 'Webcam',
    prefix: 'CAM',
    weight: 2,
    makers: ['Logitech', 'Razer', 'Elgato'],
    families: [
      'Brio 4K',
      'C920',
      'Kiyo Pro',
      'Facecam',
      'MX Brio',
      'C930e',
      'StreamCam',
      'Kiyo X',
      'Facecam Pro',
      'Brio 500',
    ],
  },
  {
    name: 'Printer',
    prefix: 'PRN',
    weight: 1,
    makers: ['HP', 'Brother', 'Canon'],
    families: [
      'LaserJet Pro M404',
      'HL-L2350DW',
      'imageCLASS MF445',
      'OfficeJet Pro 9015',
      'MFC-L3770',
      'PIXMA G7020',
      'Color LaserJet M255',
      'HL-L8360',
      'imageCLASS LBP6030',
      'LaserJet M110',
    ],
  },
  {
    name: 'Router',
    prefix: 'RTR',
    weight: 1,
    makers: ['Cisco', 'Ubiquiti', 'Netgear'],
    families: [
      'ISR 1100',
      'Dream Machine Pro',
      'Nighthawk RAX50',
      'Meraki MX68',
      'EdgeRouter 4',
      'Orbi RBK852',
      'Catalyst 8200',
      'UXG Pro',
      'Nighthawk AX12',
      'Meraki Z3',
    ],
  },
  {
    name: 'Switch',
    prefix: 'SWT',
    weight: 1,
    makers: ['Cisco', 'Ubiquiti', 'Aruba'],
    families: [
      'Catalyst 9200',
      'USW Pro 24',
      'Aruba 2930F',
      'Catalyst 1000',
      'USW Enterprise 48',
      'Instant On 1930',
      'Meraki MS120',
      'USW Lite 16',
      'Aruba 6100',
      'Catalyst 9300',
    ],
  },
  {
    name: 'Server',
    prefix: 'SRV',
    weight: 1,
    makers: ['Dell', 'HPE', 'Supermicro'],
    families: [
      'PowerEdge R650',
      'ProLiant DL360',
      'SuperServer 1029',
      'PowerEdge R750',
      'ProLiant DL380',
      'SuperServer 2029',
      'PowerEdge T350',
      'ProLiant ML350',
      'SuperServer 5019',
      'PowerEdge R450',
    ],
  },
  {
    name: 'Projector',
    prefix: 'PRJ',
    weight: 1,
    makers: ['Epson', 'BenQ', 'Optoma'],
    families: [
      'EB-L200F',
      'TK860',
      'UHD38',
      'PowerLite 1781W',
      'MW560',
      'EH412',
      'EB-FH52',
      'LU935',
      'ZH406',
      'EX800',
    ],
  },
  {
    name: 'Desk phone',
    prefix: 'DPH',
    weight: 2,
    makers: ['Poly', 'Cisco', 'Yealink'],
    families: [
      'VVX 450',
      'IP Phone 8845',
      'T54W',
      'CCX 600',
      'IP Phone 7841',
      'T46U',
      'Edge E320',
      'IP Phone 8865',
      'T33G',
      'VVX 250',
    ],
  },
  {
    name: 'Scanner',
    prefix: 'SCN',
    weight: 1,
    makers: ['Fujitsu', 'Epson', 'Brother'],
    families: [
      'ScanSnap iX1600',
      'WorkForce ES-500W',
      'ADS-2700W',
      'fi-8170',
      'DS-770',
      'ADS-1700W',
      'ScanSnap iX1400',
      'ES-C320W',
      'ADS-4300N',
      'fi-7160',
    ],
  },
  {
    name: 'Speaker',
    prefix: 'SPK',
    weight: 1,
    makers: ['Jabra', 'Poly', 'Anker'],
    families: [
      'Speak 750',
      'Sync 20',
      'PowerConf S3',
      'Speak2 75',
      'Sync 40',
      'PowerConf S500',
      'Speak 510',
      'Sync 60',
      'PowerConf A1',
      'Speak2 55',
    ],
  },
  {
    name: 'Charger',
    prefix: 'CHG',
    weight: 2,
    makers: ['Apple', 'Anker', 'Belkin'],
    families: [
      '96W USB-C',
      'Nano 65W',
      'BoostCharge Pro',
      '140W USB-C',
      'Prime 100W',
      'GaN 68W',
      '35W Dual',
      '737 Charger',
      'BoostCharge 108W',
      '70W USB-C',
    ],
  },
  {
    name: 'Cable kit',
    prefix: 'CBL',
    weight: 1,
    makers: ['Anker', 'Belkin', 'Cable Matters'],
    families: [
      'USB-C Kit',
      'HDMI Travel Kit',
      'Thunderbolt 4 Cable',
      'DisplayPort Set',
      'Ethernet Bundle',
      'Lightning Kit',
      'USB-A Adapter Set',
      'Mini DP Kit',
      'Desk Cable Pack',
      'Conference Kit',
    ],
  },
  {
    name: 'Hard drive',
    prefix: 'HDD',
    weight: 1,
    makers: ['Samsung', 'SanDisk', 'WD'],
    families: [
      'T7 Shield',
      'Extreme Pro',
      'My Passport',
      'T9',
      'Extreme Portable',
      'Elements SE',
      'T7 Touch',
      'Professional G-Drive',
      'My Book',
      'Black P10',
    ],
  },
];

const locations = ['Berlin office', 'Lisbon office', 'London HQ', 'New York office', 'Remote', 'Warehouse A'];

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ScaleSeedOptions {
  teamId: string;
  assets: number;
  /** People per asset (default 0.3: 30k people for 100k assets), never fewer than the IT staff plus 50. */
  peoplePerAsset?: number;
  /** How many people carry the IT role (the benchmark switches between 5 and 50 with `setItStaff`). */
  itStaff: number;
  now: Date;
}

export interface ScaleSeed {
  assets: number;
  people: number;
  /** IT staff, in the order `setItStaff` keeps them. */
  itStaffIds: string[];
  /** Everyone who may be seeded as IT (the first 50 people). */
  itCandidateIds: string[];
  /** An employee holding a few assets (one overdue) with open requests: the employee home and find-by-person. */
  employeeId: string;
  /** Another employee, who files requests during the run. */
  requesterId: string;
  /** Users the fake Slack must know (everyone who acts in the run). */
  slackUsers: Array<NewFakeUser & { id: string }>;
  /** A tag that exists, for `/asset find <tag>`. */
  sampleTag: string;
  /** A word of a common model, for `/asset find <text>` and the typeaheads. */
  modelWord: string;
  catalog: { categories: number; models: number };
  counts: Record<string, number>;
}

const itCandidates = 50;

export function personId(index: number): string {
  return `U1${index.toString(36).toUpperCase().padStart(8, '0')}`;
}

function personDoc(teamId: string, index: number, now: Date, it: boolean) {
  return {
    teamId,
    slackUserId: personId(index),
    name: `Person ${index}`,
    displayName: `person${index}`,
    email: `person${index}@example.com`,
    department: ['Engineering', 'Sales', 'Finance', 'Support', 'Design'][index % 5],
    title: it ? 'IT Support' : 'Employee',
    roles: it ? ['employee', 'it'] : ['employee'],
    deactivated: false,
    isBot: false,
    profileRefreshedAt: now,
  };
}

const employeeIndex = itCandidates;
const requesterIndex = itCandidates + 1;

/** Everyone who acts in a run (the IT candidates and two employees), as the fake Slack must know them. */
export function scaleSlackUsers(): Array<NewFakeUser & { id: string }> {
  return [...Array.from({ length: itCandidates }, (_, i) => i), employeeIndex, requesterIndex].map(
    (index) => ({
      id: personId(index),
      name: `person${index}`,
      real_name: `Person ${index}`,
      email: `person${index}@example.com`,
      title: index < itCandidates ? 'IT Support' : 'Employee',
    }),
  );
}

/** Seeds assets, people and past requests with `insertMany`; returns who and what the run can use. */
export async function seedScale(db: Db, options: ScaleSeedOptions): Promise<ScaleSeed> {
  const { teamId, now } = options;
  const rand = random(options.assets);
  const peopleCount = Math.max(
    Math.round(options.assets * (options.peoplePerAsset ?? 0.3)),
    itCandidates + 50,
  );
  const day = 24 * 60 * 60 * 1000;

  const people = [];
  for (let i = 0; i < peopleCount; i++) people.push(personDoc(teamId, i, now, i < options.itStaff));
  for (let start = 0; start < people.length; start += 5000) {
    await db.collection('people').insertMany(people.slice(start, start + 5000), { ordered: false });
  }
  const holderIndex = () => itCandidates + 2 + Math.floor(rand() * (peopleCount - itCandidates - 2));

  const totalWeight = categories.reduce((sum, c) => sum + c.weight, 0);
  const pickCategory = () => {
    let roll = rand() * totalWeight;
    for (const category of categories) {
      roll -= category.weight;
      if (roll < 0) return category;
    }
    return categories[0]!;
  };
  const counts: Record<string, number> = {};
  const perPrefix = new Map<string, number>();
  let sampleTag = '';
  const batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await db.collection('assets').insertMany(batch.splice(0), { ordered: false });
  };
  for (let i = 0; i < options.assets; i++) {
    const category = pickCategory();
    // A skewed spread over models: the first models of a category are the common ones.
    const modelIndex = Math.min(9, Math.floor(-Math.log(1 - rand() * 0.999) * 3));
    const model = category.families[modelIndex]!;
    const manufacturer = category.makers[modelIndex % category.makers.length]!;
    const number = (perPrefix.get(category.prefix) ?? 0) + 1;
    perPrefix.set(category.prefix, number);
    const tag = `${category.prefix}-${String(number).padStart(6, '0')}`;
    if (i === Math.floor(options.assets / 2)) sampleTag = tag;
    const location = locations[Math.floor(rand() * locations.length)]!;
    const createdAt = new Date(now.getTime() - Math.floor(rand() * 900) * day);
    // The employee of the run holds the first three assets, one of them overdue.
    const forEmployee = i < 3;
    const roll = rand();
    const status = forEmployee
      ? 'checked_out'
      : roll < 0.55
        ? 'available'
        : roll < 0.9
          ? 'checked_out'
          : roll < 0.903
            ? 'pending_return'
            : roll < 0.925
              ? 'in_repair'
              : roll < 0.93
                ? 'lost'
                : 'retired';
    counts[status] = (counts[status] ?? 0) + 1;
    const held = status === 'checked_out' || status === 'pending_return' || status === 'lost';
    const holderId = held ? personId(forEmployee ? employeeIndex : holderIndex()) : undefined;
    const checkedOutAt = held ? new Date(createdAt.getTime() + day) : undefined;
    const dueRoll = rand();
    const dueBackAt =
      held && (i === 0 || dueRoll < 0.05)
        ? new Date(now.getTime() - (1 + Math.floor(rand() * 60)) * day)
        : held && dueRoll < 0.25
          ? new Date(now.getTime() + (1 + Math.floor(rand() * 90)) * day)
          : undefined;
    if (dueBackAt && dueBackAt < now) counts['overdue'] = (counts['overdue'] ?? 0) + 1;
    const serial = `SN${(i * 2654435761) % 4294967296}`.toUpperCase();
    const name = `${model} ${tag}`;
    const identity = { tag, serial, name, model, manufacturer, category: category.name, location };
    const history: Record<string, unknown>[] = [
      { at: createdAt, actorId: personId(0), action: 'registered', toStatus: 'available' },
    ];
    if (held) {
      history.push({
        at: checkedOutAt,
        actorId: personId(1),
        action: 'checked_out',
        fromStatus: 'available',
        toStatus: 'checked_out',
        toHolderId: holderId,
      });
    }
    batch.push({
      teamId,
      ...identity,
      nameLower: name.toLowerCase(),
      categoryKey: equalityKey(category.name),
      locationKey: equalityKey(location),
      searchKeys: assetSearchKeys(identity),
      searchKeysVersion,
      status,
      ...(holderId ? { holderId, checkedOutAt } : {}),
      ...(dueBackAt ? { dueBackAt } : {}),
      procurement: { cost: 200 + Math.floor(rand() * 2800), currency: 'EUR', purchaseDate: createdAt },
      customFields: {},
      history,
      createdAt,
      updatedAt: checkedOutAt ?? createdAt,
    });
    if (batch.length >= 5000) await flush();
  }
  await flush();

  // Past requests (about one for every ten assets) and a queue of twenty pending ones.
  const requests: Record<string, unknown>[] = [];
  const past = Math.floor(options.assets / 10);
  for (let i = 0; i < past + 20; i++) {
    const category = pickCategory();
    const pending = i >= past;
    const requesterId = personId(i % 7 === 0 ? employeeIndex : holderIndex());
    const createdAt = new Date(now.getTime() - (pending ? i - past + 1 : 30 + (i % 700)) * 60 * 60 * 1000);
    const outcome = rand();
    requests.push({
      teamId,
      requesterId,
      kind: rand() < 0.2 ? 'loan' : 'permanent',
      item: { category: category.name, ...(rand() < 0.5 ? { model: category.families[0] } : {}) },
      reason: 'Replacement for a broken one',
      status: pending ? 'pending' : outcome < 0.8 ? 'approved' : outcome < 0.93 ? 'denied' : 'cancelled',
      createdAt,
      updatedAt: createdAt,
    });
  }
  for (let start = 0; start < requests.length; start += 5000) {
    await db.collection('requests').insertMany(requests.slice(start, start + 5000), { ordered: false });
  }

  const itCandidateIds = Array.from({ length: itCandidates }, (_, i) => personId(i));
  return {
    assets: options.assets,
    people: peopleCount,
    itStaffIds: itCandidateIds.slice(0, options.itStaff),
    itCandidateIds,
    employeeId: personId(employeeIndex),
    requesterId: personId(requesterIndex),
    slackUsers: scaleSlackUsers(),
    sampleTag,
    modelWord: 'thinkpad',
    catalog: { categories: categories.length, models: categories.length * 10 },
    counts: { ...counts, requests: requests.length, pendingRequests: 20 },
  };
}

/** Gives the first `count` IT candidates the IT role and takes it from the rest. */
export async function setItStaff(db: Db, seed: ScaleSeed, teamId: string, count: number): Promise<string[]> {
  const staff = seed.itCandidateIds.slice(0, count);
  const others = seed.itCandidateIds.slice(count);
  await db
    .collection('people')
    .updateMany({ teamId, slackUserId: { $in: staff } }, { $set: { roles: ['employee', 'it'] } });
  if (others.length > 0) {
    await db
      .collection('people')
      .updateMany({ teamId, slackUserId: { $in: others } }, { $set: { roles: ['employee'] } });
  }
  seed.itStaffIds = staff;
  return staff;
}
