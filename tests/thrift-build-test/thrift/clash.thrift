/** Methods named as the generated clients' own items (`new`, `transport`, `client`,
 *  `runtime`). */
service Clash {
    /** Named as the clients' constructor. */
    string new(1: string name),
    /** Named as the client's transport accessor. */
    string transport(),
    /** Named as the blocking client's async-client accessor. */
    string client(),
    /** Named as the blocking client's runtime accessor. */
    string runtime(),
}
