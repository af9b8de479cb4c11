import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { API_BUNDLE_ENTRY, API_NODE_FLAGS, nameClassesOnly } from './bundle-api.js';

const HELPERS =
  'var __defProp=Object.defineProperty;var __getProtoOf=Object.getPrototypeOf,__hasOwnProp=Object.prototype.hasOwnProperty;var __name=(target,value)=>__defProp(target,"name",{value,configurable:!0});';

describe('nameClassesOnly', () => {
  const body = 'var Order2=class{};__name(Order2,"Order");function f(){}__name(f,"handler");var g=__name(()=>1,"arrow");';

  it('keeps the text length, so the source map stays exact', () => {
    expect(nameClassesOnly(HELPERS + body)).toHaveLength((HELPERS + body).length);
  });

  it('still names classes and plain functions the bundle renamed, no longer arrows', () => {
    const names = vm.runInNewContext(`${nameClassesOnly(HELPERS + body)} [Order2.name, f.name, g.name, g()]`);
    expect(names).toEqual(['Order', 'handler', '', 1]);
  });

  it('defines nothing for a function that already has its name (closures made per request)', () => {
    const counting = HELPERS.replace('var __defProp=Object.defineProperty;', 'var calls=0,__defProp=(o,k,d)=>(calls++,Object.defineProperty(o,k,d));');
    const calls = vm.runInNewContext(`${nameClassesOnly(counting)} for (let i = 0; i < 3; i++) { function next(){} __name(next, "next"); __name(() => i, "arrow"); } calls`);
    expect(calls).toBe(0);
  });

  it('does not read the prototype of a function that has its name (V8 would allocate one per closure)', () => {
    const reads = vm.runInNewContext(`${nameClassesOnly(HELPERS)} var reads=0; __name({ name: "next", get prototype() { reads++; return {}; } }, "next"); reads`);
    expect(reads).toBe(0);
  });

  it('leaves a class name redefinable later (mapped types rename theirs)', () => {
    const renamed = vm.runInNewContext(`${nameClassesOnly(HELPERS + body)} Object.defineProperty(Order2, "name", { value: "PartialOrder" }); Order2.name`);
    expect(renamed).toBe('PartialOrder');
  });

  it("fails on a helper it does not know (an esbuild update) instead of leaving it as it was", () => {
    expect(() => nameClassesOnly(HELPERS.replace('configurable:!0', 'configurable:true') + body)).toThrow(/keepNames helper/);
  });
});

describe('API_NODE_FLAGS', () => {
  it('are the flags of every production start: npm run start:api and the Docker image', () => {
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    expect(scripts['start:api']).toBe(['node', ...API_NODE_FLAGS, API_BUNDLE_ENTRY].join(' '));
    expect(readFileSync('docker/api.Dockerfile', 'utf8')).toContain(`CMD ${JSON.stringify(['node', ...API_NODE_FLAGS, API_BUNDLE_ENTRY]).replaceAll(',', ', ')}`);
  });
});
