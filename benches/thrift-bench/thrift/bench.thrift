/** The representative payload for the codec benchmark: strings, ints, a list of structs and a map. */

struct Item {
  1: i64 id
  2: string name
  3: double price
  4: i32 quantity
}

struct Order {
  1: i64 order_id
  2: string customer
  3: string note
  4: i32 status
  5: list<Item> items
  6: map<string, string> attributes
  7: i64 created_at
}
