// The KeyValue service of tchannel-python's Getting Started guide.

exception NotFoundError {
    1: string key,
}

/** Values by key, kept in memory. */
service KeyValue {
    /** The value stored under `key`, or NotFoundError. */
    string getValue(
        1: string key,
    ) throws (
        1: NotFoundError notFound,
    )

    /** Stores `value` under `key`. */
    void setValue(
        1: string key,
        2: string value,
    )
}
