/**
 * Reference data of `geo.ts`: the countries of a UK publisher's audience with their weights, and
 * per country its main cities (province, postal codes or their outward parts) and its large
 * ISPs (organisation, autonomous system number), each weighted.
 */

/** `[name, province, postal codes, weight]`. */
export type CityData = readonly [
  name: string,
  province: string,
  postalCodes: readonly string[],
  weight: number,
];

/** `[name, organisation, autonomous system number, weight]`. */
export type IspData = readonly [isp: string, organization: string, asn: number, weight: number];

/** One country: `[ISO code, continent]`, its cities and ISPs, and its weight. */
export type CountryData = readonly [
  head: readonly [code: string, continent: string],
  cities: readonly CityData[],
  isps: readonly IspData[],
  weight: number,
];

const EUROPE = 'Europe';
const NORTH_AMERICA = 'North America';

/** Countries with their weight in the audience, cities and ISPs. */
export const COUNTRIES: readonly CountryData[] = [
  [
    ['GB', EUROPE],
    [
      ['London', 'England', ['SW1A', 'E14', 'N1', 'SE1', 'W2', 'NW3', 'EC2A'], 32],
      ['Manchester', 'England', ['M1', 'M20', 'M14'], 9],
      ['Birmingham', 'England', ['B1', 'B15', 'B29'], 8],
      ['Leeds', 'England', ['LS1', 'LS6'], 5],
      ['Glasgow', 'Scotland', ['G1', 'G12'], 5],
      ['Edinburgh', 'Scotland', ['EH1', 'EH3'], 4],
      ['Bristol', 'England', ['BS1', 'BS8'], 4],
      ['Liverpool', 'England', ['L1', 'L18'], 4],
      ['Cardiff', 'Wales', ['CF10', 'CF24'], 3],
      ['Belfast', 'Northern Ireland', ['BT1', 'BT9'], 3],
      ['Newcastle upon Tyne', 'England', ['NE1', 'NE6'], 3],
      ['Brighton', 'England', ['BN1', 'BN2'], 2],
    ],
    [
      ['BT', 'British Telecommunications PLC', 2856, 30],
      ['Sky Broadband', 'Sky UK Limited', 5607, 20],
      ['Virgin Media', 'Virgin Media Limited', 5089, 18],
      ['Vodafone UK', 'Vodafone Limited', 25135, 10],
      ['EE', 'EE Limited', 12576, 12],
      ['TalkTalk', 'TalkTalk Communications Limited', 13285, 6],
      ['Three UK', 'Hutchison 3G UK Limited', 206067, 4],
    ],
    38,
  ],
  [
    ['US', NORTH_AMERICA],
    [
      ['New York', 'New York', ['10001', '10016', '11201'], 10],
      ['Los Angeles', 'California', ['90012', '90028'], 7],
      ['Chicago', 'Illinois', ['60601', '60614'], 5],
      ['Houston', 'Texas', ['77002', '77019'], 4],
      ['San Francisco', 'California', ['94103', '94110'], 3],
      ['Boston', 'Massachusetts', ['02108', '02116'], 3],
      ['Seattle', 'Washington', ['98101', '98109'], 3],
      ['Atlanta', 'Georgia', ['30303', '30309'], 3],
      ['Miami', 'Florida', ['33101', '33139'], 3],
      ['Denver', 'Colorado', ['80202', '80205'], 2],
    ],
    [
      ['Comcast Cable', 'Comcast Cable Communications, LLC', 7922, 25],
      ['Spectrum', 'Charter Communications Inc', 20115, 20],
      ['AT&T Internet', 'AT&T Services, Inc.', 7018, 18],
      ['Verizon Fios', 'Verizon Business', 701, 14],
      ['T-Mobile USA', 'T-Mobile USA, Inc.', 21928, 15],
      ['Cox Communications', 'Cox Communications Inc.', 22773, 8],
    ],
    24,
  ],
  [
    ['DE', EUROPE],
    [
      ['Berlin', 'Berlin', ['10115', '10437', '12043'], 8],
      ['Hamburg', 'Hamburg', ['20095', '22767'], 4],
      ['München', 'Bayern', ['80331', '80469'], 4],
      ['Köln', 'Nordrhein-Westfalen', ['50667', '50823'], 3],
      ['Frankfurt am Main', 'Hessen', ['60311', '60594'], 3],
    ],
    [
      ['Deutsche Telekom', 'Deutsche Telekom AG', 3320, 40],
      ['Vodafone', 'Vodafone GmbH', 3209, 30],
      ['O2 Germany', 'Telefonica Germany GmbH & Co.OHG', 6805, 20],
      ['1&1 Versatel', '1&1 Versatel Deutschland GmbH', 8881, 10],
    ],
    6,
  ],
  [
    ['FR', EUROPE],
    [
      ['Paris', 'Île-de-France', ['75001', '75011', '75015'], 10],
      ['Lyon', 'Auvergne-Rhône-Alpes', ['69001', '69003'], 3],
      ['Marseille', "Provence-Alpes-Côte d'Azur", ['13001', '13008'], 3],
      ['Toulouse', 'Occitanie', ['31000', '31400'], 2],
      ['Bordeaux', 'Nouvelle-Aquitaine', ['33000', '33800'], 2],
    ],
    [
      ['Orange', 'Orange S.A.', 3215, 40],
      ['Free', 'Free SAS', 12322, 25],
      ['SFR', 'Societe Francaise Du Radiotelephone - SFR SA', 15557, 20],
      ['Bouygues Telecom', 'Bouygues Telecom SA', 5410, 15],
    ],
    5,
  ],
  [
    ['IE', EUROPE],
    [
      ['Dublin', 'Leinster', ['D02', 'D04', 'D08'], 8],
      ['Cork', 'Munster', ['T12', 'T23'], 3],
      ['Galway', 'Connacht', ['H91'], 2],
    ],
    [
      ['Eir', 'Eircom Limited', 5466, 40],
      ['Virgin Media Ireland', 'Virgin Media Ireland Limited', 6830, 35],
      ['Vodafone Ireland', 'Vodafone Ireland Limited', 15502, 25],
    ],
    4,
  ],
  [
    ['AU', 'Oceania'],
    [
      ['Sydney', 'New South Wales', ['2000', '2010'], 6],
      ['Melbourne', 'Victoria', ['3000', '3121'], 5],
      ['Brisbane', 'Queensland', ['4000'], 3],
      ['Perth', 'Western Australia', ['6000'], 2],
    ],
    [
      ['Telstra', 'Telstra Corporation Ltd', 1221, 45],
      ['Optus', 'Singtel Optus Pty Ltd', 4804, 30],
      ['TPG Telecom', 'TPG Telecom Limited', 7545, 25],
    ],
    4,
  ],
  [
    ['CA', NORTH_AMERICA],
    [
      ['Toronto', 'Ontario', ['M5V', 'M4C'], 6],
      ['Vancouver', 'British Columbia', ['V6B', 'V5K'], 3],
      ['Montréal', 'Quebec', ['H2X', 'H3B'], 3],
      ['Calgary', 'Alberta', ['T2P'], 2],
    ],
    [
      ['Rogers', 'Rogers Communications Canada Inc.', 812, 35],
      ['Bell Canada', 'Bell Canada', 577, 40],
      ['TELUS', 'TELUS Communications Inc.', 852, 25],
    ],
    4,
  ],
  [
    ['NL', EUROPE],
    [
      ['Amsterdam', 'North Holland', ['1012', '1017'], 5],
      ['Rotterdam', 'South Holland', ['3011'], 3],
      ['Utrecht', 'Utrecht', ['3511'], 2],
    ],
    [
      ['KPN', 'KPN B.V.', 1136, 45],
      ['Ziggo', 'Vodafone Libertel B.V.', 33915, 40],
      ['Odido', 'T-Mobile Netherlands bv', 50266, 15],
    ],
    3,
  ],
  [
    ['ES', EUROPE],
    [
      ['Madrid', 'Madrid', ['28001', '28013'], 5],
      ['Barcelona', 'Catalonia', ['08001', '08012'], 4],
      ['Valencia', 'Valencia', ['46001'], 2],
    ],
    [
      ['Movistar', 'Telefonica de Espana SAU', 3352, 45],
      ['Vodafone Spain', 'Vodafone Espana S.A.U.', 12430, 30],
      ['Orange Spain', 'Orange Espagne SA', 12479, 25],
    ],
    3,
  ],
  [
    ['IT', EUROPE],
    [
      ['Rome', 'Lazio', ['00184', '00198'], 5],
      ['Milan', 'Lombardy', ['20121', '20144'], 5],
    ],
    [
      ['TIM', 'Telecom Italia S.p.A.', 3269, 45],
      ['Vodafone Italia', 'Vodafone Italia S.p.A.', 30722, 30],
      ['Fastweb', 'Fastweb SpA', 12874, 25],
    ],
    3,
  ],
  [
    ['IN', 'Asia'],
    [
      ['Mumbai', 'Maharashtra', ['400001', '400050'], 5],
      ['Bengaluru', 'Karnataka', ['560001', '560034'], 4],
      ['Delhi', 'Delhi', ['110001', '110017'], 4],
    ],
    [
      ['Jio', 'Reliance Jio Infocomm Limited', 55836, 50],
      ['Airtel', 'Bharti Airtel Ltd.', 24560, 35],
      ['Vi', 'Vodafone Idea Ltd', 38266, 15],
    ],
    3,
  ],
];
