import { eventCatalog, systemTopology, type EventType } from '../src';

describe('systemTopology', () => {
  it('subscribes each consumer only to events its named producer publishes', () => {
    for (const consumer of Object.values(systemTopology.consumers)) {
      for (const [producer, types] of Object.entries(consumer.subscribes)) {
        expect(systemTopology.producers).toHaveProperty(producer);
        for (const type of types as readonly EventType[]) expect(eventCatalog[type].producer).toBe(producer);
      }
    }
  });

  it('gives every producer in the catalog a topic', () => {
    const producers = new Set(Object.values(eventCatalog).map((definition) => definition.producer));
    expect(Object.keys(systemTopology.producers).sort()).toEqual([...producers].sort());
  });
});
