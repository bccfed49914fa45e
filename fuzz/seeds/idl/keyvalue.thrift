/** A key was not found. */
exception NotFoundError {
    1: string key
}

/** Values by key. */
service KeyValue {
    /** Gets a value. */
    string getValue(1: string key) throws (1: NotFoundError notFound)
    void setValue(1: string key, 2: string value)
}
