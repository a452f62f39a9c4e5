/**
 * Where users are and who connects them, drawn from the reference data in `geo-data.ts`. The
 * structs are built once per city and ISP and frozen: the rows of many users share them.
 */
import { COUNTRIES, type CityData, type CountryData, type IspData } from './geo-data.js';
import { Weighted, type Rng } from './random.js';

/** The `properties.geo_info` struct of an event. */
export interface GeoInfo {
  readonly country: string | null;
  readonly city: string | null;
  readonly continent: string | null;
  readonly province: string | null;
  readonly postal_code: string | null;
}

/** The `properties.isp_info` struct of an event. */
export interface IspInfo {
  readonly isp: string | null;
  readonly organization: string | null;
  readonly autonomous_system_number: bigint | null;
}

/** A user's location and ISP. */
export interface Connection {
  readonly geo: GeoInfo;
  readonly isp: IspInfo;
}

/** The location structs of one city: complete (one per postal code) and with parts unknown. */
interface CityGeo {
  readonly byPostalCode: readonly GeoInfo[];
  readonly noPostalCode: GeoInfo;
  readonly noCity: GeoInfo;
  readonly noProvince: GeoInfo;
}

interface Country {
  readonly cities: Weighted<CityGeo>;
  readonly isps: Weighted<IspInfo>;
}

const UNKNOWN_GEO: GeoInfo = Object.freeze({
  country: null,
  city: null,
  continent: null,
  province: null,
  postal_code: null,
});

const UNKNOWN_ISP: IspInfo = Object.freeze({
  isp: null,
  organization: null,
  autonomous_system_number: null,
});

function frozenGeo(values: GeoInfo): GeoInfo {
  // One literal, so that every geo_info object has the same shape.
  const { country, city, continent, province, postal_code } = values;
  return Object.freeze({ country, city, continent, province, postal_code });
}

function cityGeo(head: CountryData[0], [city, province, postalCodes]: CityData): CityGeo {
  const [country, continent] = head;
  const known = { country, city, continent, province, postal_code: null };
  return {
    byPostalCode: postalCodes.map((postal_code) => frozenGeo({ ...known, postal_code })),
    noPostalCode: frozenGeo(known),
    noCity: frozenGeo({ ...known, city: null }),
    noProvince: frozenGeo({ ...known, city: null, province: null }),
  };
}

function ispInfo([isp, organization, asn]: IspData): IspInfo {
  return Object.freeze({ isp, organization, autonomous_system_number: BigInt(asn) });
}

const WORLD = new Weighted<Country>(
  COUNTRIES.map(([head, cities, isps, weight]) => [
    {
      cities: new Weighted(cities.map((c) => [cityGeo(head, c), c[3]] as const)),
      isps: new Weighted(isps.map((i) => [ispInfo(i), i[3]] as const)),
    },
    weight,
  ]),
);

/**
 * Draws where a user connects from. IP geolocation is imperfect, so values are sometimes null:
 * the whole location (0.5%), the city, province and postal code (3%), the city and postal code
 * (3%), the postal code alone (20%); the ISP is unknown for 2% of users.
 */
export function drawConnection(rng: Rng): Connection {
  const country = WORLD.pick(rng);
  const city = country.cities.pick(rng);
  const isp = country.isps.pick(rng);
  const roll = rng.float();
  const complete = city.byPostalCode[rng.int(city.byPostalCode.length)] ?? city.noPostalCode;
  let geo = complete;
  if (roll < 0.005) geo = UNKNOWN_GEO;
  else if (roll < 0.035) geo = city.noProvince;
  else if (roll < 0.065) geo = city.noCity;
  else if (roll < 0.265) geo = city.noPostalCode;
  return { geo, isp: rng.float() < 0.02 ? UNKNOWN_ISP : isp };
}
