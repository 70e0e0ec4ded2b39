// A text box that applies what is typed a short pause after the last key (and on Enter or
// when focus leaves), and shows its value when it changes elsewhere (the chip bar,
// back/forward) without taking the text from under the cursor while one types.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type Ref } from "react";

/** Typed text applies this long after the last key press. */
export const TYPING_MS = 400;

interface Props {
  label: string;
  /** The value as applied now. */
  current: string;
  onSet: (input: string) => void;
  testid: string;
  placeholder?: string;
  inputRef?: Ref<HTMLInputElement>;
}

export function TypingInput({ label, current, onSet, testid, placeholder, inputRef }: Props) {
  const [text, setText] = useState(current);
  const [shown, setShown] = useState(current);
  const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const own = useRef<HTMLInputElement | null>(null);
  useEffect(() => () => clearTimeout(typing.current), []);
  // the value changed elsewhere: show it (unless it is what is being typed)
  if (current !== shown) {
    setShown(current);
    if (document.activeElement !== own.current) setText(current);
  }
  const apply = (value: string) => {
    clearTimeout(typing.current);
    if (value !== current) onSet(value);
  };
  const setRefs = (el: HTMLInputElement | null) => {
    own.current = el;
    if (typeof inputRef === "function") inputRef(el);
    else if (inputRef) (inputRef as { current: HTMLInputElement | null }).current = el;
  };
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        apply(text);
      }}
    >
      <input
        ref={setRefs}
        name="value"
        type="search"
        aria-label={label}
        placeholder={placeholder ?? `${label}…`}
        value={text}
        onChange={(e) => {
          const value = e.target.value;
          setText(value);
          clearTimeout(typing.current);
          typing.current = setTimeout(() => onSet(value), TYPING_MS);
        }}
        onKeyDown={(e: KeyboardEvent) => {
          if (e.key === "Escape" && text) {
            e.stopPropagation();
            setText("");
            apply("");
          }
        }}
        onBlur={() => apply(text)}
        data-testid={testid}
      />
    </form>
  );
}
